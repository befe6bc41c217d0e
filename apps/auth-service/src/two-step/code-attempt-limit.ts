import { AppError } from '@bff-auth/service-kit/errors';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** Wrong codes a user may type in a row on the Security page (confirm, disable) before a pause. */
export const TWO_STEP_CODE_LIMITS = { failures: 5, windowSeconds: 15 * 60 } as const;

/**
 * Per-user throttling of the codes typed to confirm or turn off two-step verification: an attempt is
 * taken before the code is checked (parallel guesses cannot slip past), a right code gives them back.
 * Redis errors propagate: the check fails closed.
 */
export function createCodeAttemptLimit(
  redis: RedisClient,
  limits: { failures: number; windowSeconds: number } = TWO_STEP_CODE_LIMITS,
) {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'rl:two-step',
    points: limits.failures,
    duration: limits.windowSeconds,
  });
  return {
    async take(userId: string): Promise<void> {
      try {
        await limiter.consume(userId);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new AppError(429, 'too_many_attempts', 'Too many wrong codes; try again later', {
          details: { retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) },
        });
      }
    },
    async succeeded(userId: string): Promise<void> {
      await limiter.delete(userId);
    },
  };
}
export type CodeAttemptLimit = ReturnType<typeof createCodeAttemptLimit>;
