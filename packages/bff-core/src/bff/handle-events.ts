import { createEventStreamResponse } from '../revocation/event-stream';
import { authenticate, unauthenticatedError } from './authenticate';
import type { BffContext } from './context';
import { errorWithCookies, guarded } from './respond';

/** `GET /api/auth/events`: server-sent events for the current user and session (SPEC §4.5). */
export function createEventsHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      const outcome = await authenticate(ctx, request, requestId);
      if (outcome.kind === 'error') return errorWithCookies(outcome.error, requestId, outcome.setCookie);
      if (outcome.kind === 'anonymous')
        return errorWithCookies(unauthenticatedError(outcome.reason), requestId, outcome.setCookie);
      const headers = new Headers();
      for (const c of outcome.setCookie) headers.append('Set-Cookie', c);
      return createEventStreamResponse({
        subscriber: ctx.events,
        userId: outcome.session.data.uid,
        sid: outcome.session.data.sid,
        signal: request.signal,
        headers,
        onStreamCount: ctx.observer.eventStreams,
        ...(ctx.config.eventsHeartbeatMs ? { heartbeatMs: ctx.config.eventsHeartbeatMs } : {}),
      });
    });
}
