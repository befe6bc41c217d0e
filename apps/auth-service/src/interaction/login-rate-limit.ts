import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { emailKey } from '../users/email-key';

/** SPEC §6: 5 failed sign-ins per minute per account and IP, 20 attempts per minute per IP. */
export const LOGIN_LIMITS = {
  failuresPerAccountAndIp: 5,
  attemptsPerIp: 20,
  windowSeconds: 60,
} as const;

export interface LoginLimits {
  failuresPerAccountAndIp: number;
  attemptsPerIp: number;
  windowSeconds: number;
}

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const blocked = (res: RateLimiterRes): LimitVerdict => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
});

/**
 * Sign-in throttling in Redis (rate-limiter-flexible). Redis errors propagate: sign-in fails closed.
 *
 * Both limits are consumed atomically *before* the password is checked: reading the count first and
 * recording the failure afterwards let a burst of parallel guesses all through before any was counted.
 * A successful sign-in gives the account's points back (its failures are forgotten), so only failed
 * attempts add up. The account part of the key is emailKey(email), the normalisation of the user table.
 */
export function createLoginRateLimiter(
  redis: RedisClient,
  limits: LoginLimits = LOGIN_LIMITS,
  /** Key prefix; the second step of a sign-in (two-step codes, keyed by user id) has its own. */
  keyPrefix = 'rl:login',
) {
  const perIp = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:ip`,
    points: limits.attemptsPerIp,
    duration: limits.windowSeconds,
  });
  const perAccount = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}:account`,
    points: limits.failuresPerAccountAndIp,
    duration: limits.windowSeconds,
  });
  const accountKey = (email: string, ip: string) => `${emailKey(email)}|${ip}`;

  async function consume(limiter: RateLimiterRedis, key: string): Promise<LimitVerdict> {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) return blocked(error);
      throw error;
    }
  }

  return {
    /**
     * Takes one attempt from `ip`'s allowance and one from this account's (from that address), before
     * the password is checked; refuses when either is used up.
     */
    async beforeAttempt(email: string, ip: string): Promise<LimitVerdict> {
      const ipVerdict = await consume(perIp, ip);
      if (!ipVerdict.allowed) return ipVerdict;
      return consume(perAccount, accountKey(email, ip));
    },
    /** The password was right: the account's failed attempts from this address are forgotten. */
    async recordSuccess(email: string, ip: string): Promise<void> {
      await perAccount.delete(accountKey(email, ip));
    },
  };
}
export type LoginRateLimiter = ReturnType<typeof createLoginRateLimiter>;
