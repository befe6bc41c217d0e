/**
 * The `retry:` hint, in ms, that ends each event stream when an instance drains: the browser's
 * EventSource reconnects after it, through the load balancer, to an instance that is not leaving.
 */
export const DRAIN_RETRY_MS = 1_000;
/** Up to this much is added to each stream's hint, so the tabs of a draining instance do not all reconnect at once. */
export const DRAIN_RETRY_JITTER_MS = 2_000;

/** Ends one open event stream with a `retry:` hint of `retryMs`. */
export type StreamEnder = (retryMs: number) => void;

/** A BFF instance's graceful shutdown (SPEC §7): its drain flag and its open event streams. */
export interface BffShutdown {
  /** True from `drain()` on; `/api/ready` answers 503 then. */
  readonly draining: boolean;
  /** How many event streams are open. */
  readonly openStreams: number;
  /**
   * Registers an open event stream; returns the function that forgets it (call it when the stream
   * closes). While draining, `end` is called at once instead: a stream opened now is told to go elsewhere.
   */
  track(end: StreamEnder): () => void;
  /** Starts the drain: every open stream is ended with a `retry:` hint, and every one opened later too. */
  drain(): void;
}

export interface ShutdownOptions {
  retryMs?: number;
  jitterMs?: number;
  random?: () => number;
}

/** The drain state and open-stream registry of one BFF instance. */
export function createShutdown({
  retryMs = DRAIN_RETRY_MS,
  jitterMs = DRAIN_RETRY_JITTER_MS,
  random = Math.random,
}: ShutdownOptions = {}): BffShutdown {
  const streams = new Set<StreamEnder>();
  let draining = false;
  const hint = () => retryMs + Math.floor(random() * jitterMs);
  return {
    get draining() {
      return draining;
    },
    get openStreams() {
      return streams.size;
    },
    track(end) {
      if (draining) {
        end(hint());
        return () => {};
      }
      streams.add(end);
      return () => {
        streams.delete(end);
      };
    },
    drain() {
      draining = true;
      for (const end of [...streams]) {
        streams.delete(end);
        end(hint());
      }
    },
  };
}
