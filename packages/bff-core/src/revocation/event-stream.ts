import type { AuthEvent } from '@bff-auth/revocation';
import type { AuthEventsSubscriber } from './auth-events-subscriber';

/** Comment lines keep proxies and browsers from closing an idle stream. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** What the browser is told: only these three names (SPEC §4.5). */
export type PushedEventName = 'logout' | 'session-revoked' | 'roles-changed';

export interface EventStreamOptions {
  subscriber: AuthEventsSubscriber;
  userId: string;
  sid?: string | undefined;
  /** The request's signal: the stream closes when the browser goes away. */
  signal: AbortSignal;
  heartbeatMs?: number;
  headers?: HeadersInit;
  /** +1 when the stream opens, -1 once when it ends (the open-streams gauge). */
  onStreamCount?: ((delta: 1 | -1) => void) | undefined;
}

/** Maps a bus event to what this session's tabs should hear, or null when it is not theirs. */
export function eventFor(event: AuthEvent, userId: string, sid: string | undefined): PushedEventName | null {
  if (event.userId !== userId || event.type === 'user-enabled') return null;
  if (event.type === 'roles-changed') return 'roles-changed';
  if (event.sid && sid && event.sid !== sid) return null;
  if (event.type === 'logout') return 'logout';
  return 'session-revoked'; // session-revoked, user-disabled
}

/**
 * A `text/event-stream` Response that pushes `logout`, `session-revoked` and `roles-changed` for one
 * user and session, sends heartbeats, and ends after a terminal event or when the request is aborted.
 */
export function createEventStreamResponse({
  subscriber,
  userId,
  sid,
  signal,
  heartbeatMs = DEFAULT_HEARTBEAT_MS,
  headers,
  onStreamCount,
}: EventStreamOptions): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      const unsubscribe = subscriber.subscribe((event) => {
        const name = eventFor(event, userId, sid);
        if (!name) return;
        send(`event: ${name}\ndata: ${JSON.stringify({ type: name, at: event.at })}\n\n`);
        if (name !== 'roles-changed') close();
      });
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      const onAbort = () => close();
      onStreamCount?.(1);
      let counted = true;
      cleanup = () => {
        if (counted) onStreamCount?.(-1);
        counted = false;
        unsubscribe();
        clearInterval(heartbeat);
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      send(`retry: 5000\n: connected\n\n`);
      if (signal.aborted) close();
    },
    cancel() {
      cleanup();
    },
  });
  const h = new Headers(headers);
  h.set('Content-Type', 'text/event-stream; charset=utf-8');
  h.set('Cache-Control', 'no-store, no-transform');
  h.set('X-Accel-Buffering', 'no');
  return new Response(stream, { status: 200, headers: h });
}
