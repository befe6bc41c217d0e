import { BffError, errorCodes } from '../errors';
import { createEventStreamResponse } from '../revocation/event-stream';
import { checkSessionRevocation } from '../revocation/session-revocation';
import { authenticate, unauthenticatedError } from './authenticate';
import type { BffContext } from './context';
import { errorWithCookies, guarded } from './respond';

/**
 * `GET /api/auth/events`: server-sent events for the current user and session (SPEC §4.5). At most
 * `maxEventStreamsPerSession` open streams per session (429 beyond); each open stream re-checks the
 * revocation keys every `eventsRecheckMs`, so it ends even when the pub/sub message was lost.
 */
export function createEventsHandler(ctx: BffContext) {
  return (request: Request): Promise<Response> =>
    guarded(ctx, request, async (requestId) => {
      const outcome = await authenticate(ctx, request, { requestId });
      if (outcome.kind === 'error') return errorWithCookies(outcome.error, requestId, outcome.setCookie);
      if (outcome.kind === 'anonymous')
        return errorWithCookies(unauthenticatedError(outcome.reason), requestId, outcome.setCookie);
      const { data } = outcome.session;

      const release = ctx.streams.open(`${data.uid}:${data.sid ?? ''}`);
      if (!release) {
        const error = new BffError(429, errorCodes.tooManyStreams, 'Too many open event streams', {
          headers: { 'Retry-After': '30' },
        });
        return errorWithCookies(error, requestId, outcome.setCookie);
      }
      const headers = new Headers();
      for (const c of outcome.setCookie) headers.append('Set-Cookie', c);
      return createEventStreamResponse({
        subscriber: ctx.events,
        userId: data.uid,
        sid: data.sid,
        signal: request.signal,
        headers,
        onStreamCount: ctx.observer.eventStreams,
        shutdown: ctx.shutdown,
        ...(ctx.config.eventsHeartbeatMs ? { heartbeatMs: ctx.config.eventsHeartbeatMs } : {}),
        ...(ctx.config.eventsRecheckMs ? { recheckMs: ctx.config.eventsRecheckMs } : {}),
        recheck: async () =>
          (await checkSessionRevocation(ctx.revocation, data)).reason ? 'session-revoked' : null,
        onClose: release,
      });
    });
}
