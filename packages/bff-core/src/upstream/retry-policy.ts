/**
 * Why not cockatiel's retry policy: each wait here must respect the upstream's `Retry-After` and the
 * time left before the request's deadline, and both are per-call values the policy's backoff cannot
 * see. The loop that uses these helpers is a dozen lines in `upstream-proxy.ts`.
 */

/** Upstream statuses worth another try (the request may not have reached the application). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const step = baseMs * 2 ** attempt;
  return Math.round(step / 2 + random() * (step / 2));
}
