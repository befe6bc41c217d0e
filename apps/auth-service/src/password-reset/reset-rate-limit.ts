import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitVerdict } from '../interaction/login-rate-limit';
import { emailKey } from '../users/email-key';

/** Reset requests allowed per email and per IP in each window, whether or not the account exists. */
export const RESET_REQUEST_LIMITS = { perEmail: 3, perIp: 10, windowSeconds: 15 * 60 } as const;

export interface ResetRequestLimits {
  perEmail: number;
  perIp: number;
  windowSeconds: number;
}

/**
 * Limits of "Forgot password?" in Redis (rate-limiter-flexible): the address first, then the email (by
 * its emailKey). Every request counts, so the answer for a known and an unknown email stays the same.
 * Redis errors propagate: the request fails closed.
 */
export function createResetRequestLimiter(
  redis: RedisClient,
  limits: ResetRequestLimits = RESET_REQUEST_LIMITS,
) {
  const perIp = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:password-reset:ip',
    points: limits.perIp,
    duration: limits.windowSeconds,
  });
  const perEmail = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:password-reset:email',
    points: limits.perEmail,
    duration: limits.windowSeconds,
  });
  async function consume(limiter: RateLimiterRedis, key: string): Promise<LimitVerdict> {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
  }
  return async function beforeRequest(email: string, ip: string): Promise<LimitVerdict> {
    const ipVerdict = await consume(perIp, ip);
    if (!ipVerdict.allowed) return ipVerdict;
    return consume(perEmail, emailKey(email));
  };
}
export type ResetRequestLimiter = ReturnType<typeof createResetRequestLimiter>;
