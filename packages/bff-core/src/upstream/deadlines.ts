/** Connect and read deadlines of one upstream, in milliseconds. */
export interface Deadlines {
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

/** SPEC §5 deadlines of the known upstreams; anything else gets DEFAULT_DEADLINES. */
export const KNOWN_DEADLINES: Readonly<Record<string, Deadlines>> = {
  'auth-service': { connectTimeoutMs: 3000, readTimeoutMs: 5000 },
  'user-api': { connectTimeoutMs: 3000, readTimeoutMs: 10_000 },
  'admin-api': { connectTimeoutMs: 5000, readTimeoutMs: 30_000 },
  jwks: { connectTimeoutMs: 2000, readTimeoutMs: 3000 },
};

export const DEFAULT_DEADLINES: Deadlines = { connectTimeoutMs: 3000, readTimeoutMs: 10_000 };

/** Breaker: opens after this many consecutive failures… */
export const DEFAULT_BREAKER_FAILURES = 5;
/** …and lets one trial request through after this long. */
export const DEFAULT_HALF_OPEN_AFTER_MS = 30_000;
/** At most this many retries (GET/HEAD only). */
export const DEFAULT_MAX_RETRIES = 2;
/** First backoff step; doubled per retry, with jitter. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
