import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitVerdict } from '../interaction/login-rate-limit';
import { emailKey } from '../users/email-key';

/**
 * Reset requests allowed per email and per IP in each window, whether or not the account exists; and the
 * link pages (`/password-reset/new`, shown or submitted, good link or not) per IP in the same window.
 */
export const RESET_REQUEST_LIMITS = {
  perEmail: 3,
  perIp: 10,
  linkUsesPerIp: 30,
  windowSeconds: 15 * 60,
} as const;

export interface ResetRequestLimits {
  perEmail: number;
  perIp: number;
  linkUsesPerIp: number;
  windowSeconds: number;
}

/**
 * Limits of "Forgot password?" in Redis (rate-limiter-flexible). `request`: the address first, then the
 * email (by its emailKey); every request counts, so the answer for a known and an unknown email stays the
 * same. `linkUse`: every visit or submission of a link's page by the address, so link tokens cannot be
 * tried in bulk (they are 256-bit and single-use; this bounds the work anyway). Redis errors propagate:
 * the request fails closed.
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
  const linkUses = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:password-reset:link-ip',
    points: limits.linkUsesPerIp,
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
  return {
    async request(email: string, ip: string): Promise<LimitVerdict> {
      const ipVerdict = await consume(perIp, ip);
      if (!ipVerdict.allowed) return ipVerdict;
      return consume(perEmail, emailKey(email));
    },
    linkUse: (ip: string): Promise<LimitVerdict> => consume(linkUses, ip),
  };
}
export type ResetRequestLimiter = ReturnType<typeof createResetRequestLimiter>;
