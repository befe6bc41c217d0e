/** The report's notes: how each number was taken. */
export function reportNotes({
  accessTokenTtl,
  burstAccessTokenTtl,
}: {
  accessTokenTtl: number;
  burstAccessTokenTtl: number;
}): string[] {
  return [
    'Each service runs as one Node process (`node --import tsx src/main.ts`; user-web: `next start`, production build; user-web-fast-lane: `node --import tsx server.ts` on the same build, a second instance of user-web with the same origin, passwords and Redis, idle while the other is measured); resident memory is VmRSS of that process (and any children) from /proc.',
    "The system is the bench's own: free ports, a temporary DATA_DIR for PGlite, a unique REDIS_KEY_PREFIX on the local Redis (deleted at the end).",
    "Direct run: a user-api access token from a code flow of the bench's own as the user-web client (the BFF never reveals its tokens). BFF run: the `__Host-user-session` cookie of a browser-like sign-in, sent in the Cookie header.",
    'user-api runs with API_RATE_LIMIT_PER_HOUR raised (SPEC default 1000/hour per user), so one user can drive both runs; the limiter still does its Redis call on every request.',
    `The load runs and the soak use ACCESS_TOKEN_TTL=${accessTokenTtl} s so that no refresh falls due while autocannon replays one cookie; the burst uses a ${burstAccessTokenTtl} s token on its own session (the auth service is restarted in between; keys persist).`,
    "Refresh calls are counted from the auth service's request log: one JSON line per request; every `POST /token` logged between the first and the last answer of the burst (the BFF calls /token only to refresh once signed in).",
    "Latency percentiles are exact, from autocannon's per-response timings (its own histogram rounds to whole ms); req/s counts 2xx answers only.",
    "The services run with V8's default heap limit, as `npm start` runs them (no --max-old-space-size). V8 collects lazily at that limit, so a sample may include garbage not yet collected: the verdict compares medians of the first and last thirds of the soak, and the heap figures (process.memoryUsage() written by a preloaded bench/src/memory-probe.cjs every second) show whether live data grows.",
    'Throughput runs are closed-loop and saturate the machine: their p50 is about connections ÷ req/s, so it mostly restates throughput. The latency runs (one connection) give the per-call p50 that the 1.5 ms target is about; both are reported.',
    "Bounded caches are a property of the code, not measured here: bff-core's unseal cache is an LRU (DEFAULT_UNSEAL_CACHE_SIZE 5000); the soak checks that memory does not grow under steady load.",
  ];
}
