import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** SPEC §6: the APIs allow 1000 requests per hour per user. */
export const DEFAULT_USER_RATE_LIMIT_POINTS = 1000;
export const DEFAULT_USER_RATE_LIMIT_DURATION_SEC = 60 * 60;

export interface UserRateLimitOptions {
  /** A fail-fast connection (its keyPrefix applies on top of `keyPrefix`). */
  redis: RedisClient;
  /** Namespace of the counters, e.g. `rl:user-api`. */
  keyPrefix: string;
  /** Requests allowed per window. Default DEFAULT_USER_RATE_LIMIT_POINTS (1000). */
  points?: number;
  /** Window in seconds. Default DEFAULT_USER_RATE_LIMIT_DURATION_SEC (3600). */
  durationSec?: number;
}

/** What counting one request said. */
export type RateLimitDecision =
  | { limited: false; remaining: number }
  | { limited: true; retryAfterSec: number };

/** Counts requests per verified user; `accessTokenAuth({ rateLimit })` answers 429 over the limit. */
export interface UserRateLimiter {
  /** Requests allowed per window (the `RateLimit-Limit` header). */
  readonly points: number;
  /** Counts one request of `userId`. @throws whatever Redis throws (the caller fails closed: 503). */
  consume(userId: string): Promise<RateLimitDecision>;
}

/** The per-user limit of SPEC §6 in Redis (rate-limiter-flexible: one script call per request). */
export function createUserRateLimiter({
  redis,
  keyPrefix,
  points = DEFAULT_USER_RATE_LIMIT_POINTS,
  durationSec = DEFAULT_USER_RATE_LIMIT_DURATION_SEC,
}: UserRateLimitOptions): UserRateLimiter {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSec,
    rejectIfRedisNotReady: true,
  });
  return {
    points,
    async consume(userId) {
      try {
        const res = await limiter.consume(userId);
        return { limited: false, remaining: res.remainingPoints };
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          return { limited: true, retryAfterSec: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
        }
        throw error;
      }
    },
  };
}
