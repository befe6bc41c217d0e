/** Open event streams one session may hold in one BFF process (a tab each; browsers allow ~6 per host). */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 6;

export interface StreamRegistry {
  /**
   * Counts an open stream of `key` (a session). Ending streams at shutdown is the BFF's `BffShutdown`.
   * @returns the function to call once the stream has ended, or null when `key` already holds the
   * maximum (the caller refuses the new stream: 429).
   */
  open(key: string): (() => void) | null;
  /** Open streams of one key. */
  count(key: string): number;
  /** Open streams in total, for metrics and tests. */
  readonly size: number;
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
  const counts = new Map<string, number>();
  let size = 0;
  return {
    open(key) {
      const count = counts.get(key) ?? 0;
      if (count >= maxPerSession) return null;
      counts.set(key, count + 1);
      size++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        size--;
        const left = (counts.get(key) ?? 1) - 1;
        if (left > 0) counts.set(key, left);
        else counts.delete(key);
      };
    },
    count: (key) => counts.get(key) ?? 0,
    get size() {
      return size;
    },
  };
}
