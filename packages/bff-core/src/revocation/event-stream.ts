import type { AuthEvent } from '@bff-auth/revocation';
import type { AuthEventsSubscriber } from './auth-events-subscriber';

/** Comment lines keep proxies and browsers from closing an idle stream. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/**
 * How often an open stream asks the revocation keys whether its session still stands: the pub/sub
 * message only speeds things up, and a lost one must not leave a revoked session's tab open (SPEC §7).
 */
export const DEFAULT_RECHECK_MS = 30_000;

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
  /**
   * Tracks the stream (the BFF's `BffShutdown`), so a drain ends it with a `retry:` hint (SPEC §7);
   * `track` returns the function that forgets it.
   */
  shutdown?: { track(end: (retryMs: number) => void): () => void } | undefined;
  /** Asked every `recheckMs`: the event to push (the stream then ends) or null while all is well. */
  recheck?: () => Promise<PushedEventName | null>;
  /** Default DEFAULT_RECHECK_MS. */
  recheckMs?: number;
  /** Called once when the stream has ended, whatever ended it. */
  onClose?: () => void;
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
 * user and session, sends heartbeats, and ends after a terminal event, when the request is aborted, or
 * when `shutdown` drains (then with `retry: <ms>` first, so the browser reconnects to another instance).
 */
export function createEventStreamResponse({
  subscriber,
  userId,
  sid,
  signal,
  heartbeatMs = DEFAULT_HEARTBEAT_MS,
  headers,
  onStreamCount,
  shutdown,
  recheck,
  recheckMs = DEFAULT_RECHECK_MS,
  onClose,
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
      const push = (name: PushedEventName, at: number) => {
        send(`event: ${name}\ndata: ${JSON.stringify({ type: name, at })}\n\n`);
        if (name !== 'roles-changed') close();
      };
      const unsubscribe = subscriber.subscribe((event) => {
        const name = eventFor(event, userId, sid);
        if (name) push(name, event.at);
      });
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      let checking = false;
      const rechecks = recheck
        ? setInterval(async () => {
            if (checking || closed) return;
            checking = true;
            try {
              const name = await recheck();
              if (name && !closed) push(name, Date.now());
            } catch {
              // Redis did not answer: the next round asks again. Every request of the tab is still
              // checked (and fails closed) on its own; this stream only carries news.
            } finally {
              checking = false;
            }
          }, recheckMs)
        : undefined;
      const onAbort = () => close();
      let untrack = () => {};
      let cleaned = false;
      onStreamCount?.(1);
      cleanup = () => {
        if (cleaned) return;
        cleaned = true;
        onStreamCount?.(-1);
        unsubscribe();
        clearInterval(heartbeat);
        clearInterval(rechecks);
        signal.removeEventListener('abort', onAbort);
        untrack();
        onClose?.();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      send(`retry: 5000\n: connected\n\n`);
      if (signal.aborted) close();
      else if (shutdown) {
        untrack = shutdown.track((retryMs) => {
          send(`retry: ${retryMs}\n: draining\n\n`);
          close();
        });
      }
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
