import type { Context } from 'hono';
import type { HonoEnv } from './interaction-steps';
import type { LoginRateLimiter } from './login-rate-limit';
import { renderTooManyAttemptsPage } from './views';

/** An attempt let through, to be told when its secret was right; or refused, with the answer to give. */
export type SignInAttempt =
  | { allowed: true; succeeded(): Promise<void> }
  | { allowed: false; response: Response | Promise<Response> };

/**
 * Takes one attempt of `key` (the typed email at the password page, the account id at the code pages)
 * from this request's address out of `limiter`, before the secret is checked. Refused: the 429 "too many
 * attempts" page with `Retry-After`, counted in `metrics.limited`. `succeeded()` forgets the key's failed
 * attempts from that address (limiter.recordSuccess).
 */
export async function takeSignInAttempt(
  c: Context<HonoEnv>,
  limiter: LoginRateLimiter,
  key: string,
  metrics?: { limited: { inc(): void } },
): Promise<SignInAttempt> {
  const ip = c.env.incoming.socket.remoteAddress ?? 'unknown';
  const verdict = await limiter.beforeAttempt(key, ip);
  if (!verdict.allowed) {
    metrics?.limited.inc();
    c.header('Retry-After', String(verdict.retryAfterSeconds));
    return { allowed: false, response: c.html(renderTooManyAttemptsPage(verdict.retryAfterSeconds), 429) };
  }
  return { allowed: true, succeeded: () => limiter.recordSuccess(key, ip) };
}
