import { AppError } from '@bff-auth/service-kit/errors';
import { failure } from '@bff-auth/service-kit/http';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { MiddlewareHandler } from 'hono';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuthEnv } from './access-token-auth';

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
  logger?: Logger;
}

/**
 * Hono middleware after accessTokenAuth: counts requests per verified user in Redis (rate-limiter-flexible)
 * and answers 429 with `Retry-After` over the limit. Fails closed: a Redis error gives 503.
 */
export function userRateLimit({
  redis,
  keyPrefix,
  points = DEFAULT_USER_RATE_LIMIT_POINTS,
  durationSec = DEFAULT_USER_RATE_LIMIT_DURATION_SEC,
  logger,
}: UserRateLimitOptions): MiddlewareHandler<AuthEnv> {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSec,
    rejectIfRedisNotReady: true,
  });
  return async (c, next) => {
    try {
      const res = await limiter.consume(c.var.auth.userId);
      c.header('RateLimit-Limit', String(points));
      c.header('RateLimit-Remaining', String(res.remainingPoints));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        c.header('Retry-After', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
        return failure(c, 429, 'rate_limited', 'Too many requests; try again later');
      }
      logger?.warn({ requestId: c.get('requestId'), err: error }, 'rate limiter unavailable');
      throw new AppError(503, 'service_unavailable', 'Service temporarily unavailable', { cause: error });
    }
    await next();
  };
}
