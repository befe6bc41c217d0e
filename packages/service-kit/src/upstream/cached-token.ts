/** A token and how many seconds it is valid, as a token endpoint answered. */
export interface FetchedToken {
  token: string;
  lifetimeSec: number;
}

/** One cached token: the current one, or a single fetch however many callers wait for it. */
export interface CachedToken {
  get(): Promise<string>;
  /** Drops `token` if it is the cached one (the resource server refused it). */
  invalidate(token: string): void;
}

/**
 * Caches what `fetchToken` gives until `refreshSkewSec` before it expires (a very short-lived token
 * for half its life), and lets concurrent callers share one in-flight fetch.
 */
export function createCachedToken(
  fetchToken: () => Promise<FetchedToken>,
  refreshSkewSec: number,
): CachedToken {
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const fetchAndCache = async () => {
    const { token, lifetimeSec } = await fetchToken();
    cached = {
      token,
      renewAt: Date.now() + Math.max(lifetimeSec - refreshSkewSec, lifetimeSec / 2) * 1000,
    };
    return token;
  };
  return {
    get() {
      if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
      inFlight ??= fetchAndCache().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
