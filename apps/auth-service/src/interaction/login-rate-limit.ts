import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

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

/** Sign-in throttling in Redis (rate-limiter-flexible). Redis errors propagate: sign-in fails closed. */
export function createLoginRateLimiter(redis: RedisClient, limits: LoginLimits = LOGIN_LIMITS) {
  const perIp = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:login:ip',
    points: limits.attemptsPerIp,
    duration: limits.windowSeconds,
  });
  const perAccount = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:login:account',
    points: limits.failuresPerAccountAndIp,
    duration: limits.windowSeconds,
  });
  const accountKey = (email: string, ip: string) => `${email.trim().toLowerCase()}|${ip}`;

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
    /** Counts an attempt from `ip` and says whether this account may try again from there. */
    async beforeAttempt(email: string, ip: string): Promise<LimitVerdict> {
      const ipVerdict = await consume(perIp, ip);
      if (!ipVerdict.allowed) return ipVerdict;
      const failures = await perAccount.get(accountKey(email, ip));
      if (failures && failures.consumedPoints >= limits.failuresPerAccountAndIp) return blocked(failures);
      return { allowed: true };
    },
    async recordFailure(email: string, ip: string): Promise<void> {
      await consume(perAccount, accountKey(email, ip));
    },
    async recordSuccess(email: string, ip: string): Promise<void> {
      await perAccount.delete(accountKey(email, ip));
    },
  };
}
export type LoginRateLimiter = ReturnType<typeof createLoginRateLimiter>;
