/** Open event streams one session may hold in one BFF process (a tab each; browsers allow ~6 per host). */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 6;

export interface StreamRegistry {
  /**
   * Registers an open stream of `key` (a session) with the function that ends it.
   * @returns the function to call once the stream has ended, or null when `key` already holds the
   * maximum (the caller refuses the new stream: 429).
   */
  open(key: string, end: () => void): (() => void) | null;
  /** Open streams of one key. */
  count(key: string): number;
  /** Open streams in total, for metrics and tests. */
  readonly size: number;
  /** Ends every open stream (shutdown). */
  endAll(): void;
}

/**
 * Counts the open server-sent event streams per session, so one session cannot hold an unbounded
 * number of them (each costs a socket, a subscription listener and timers). Per process: behind a load
 * balancer each instance caps its own. A new stream over the cap is refused rather than an old one
 * closed: a closed EventSource reconnects by itself, so closing the oldest would only make the tabs
 * take turns.
 */
export function createStreamRegistry({
  maxPerSession = DEFAULT_MAX_STREAMS_PER_SESSION,
}: {
  maxPerSession?: number;
} = {}): StreamRegistry {
  if (!Number.isInteger(maxPerSession) || maxPerSession < 1) {
    throw new Error('@bff-auth/bff-core: createStreamRegistry maxPerSession must be a positive integer');
  }
  const open = new Map<string, Set<() => void>>();
  let size = 0;
  return {
    open(key, end) {
      const streams = open.get(key) ?? new Set<() => void>();
      if (streams.size >= maxPerSession) return null;
      const entry = () => end();
      streams.add(entry);
      open.set(key, streams);
      size++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        streams.delete(entry);
        size--;
        if (!streams.size) open.delete(key);
      };
    },
    count: (key) => open.get(key)?.size ?? 0,
    get size() {
      return size;
    },
    endAll() {
      for (const streams of [...open.values()]) for (const end of [...streams]) end();
    },
  };
}
