import type { RedisClient } from '@bff-auth/service-kit/redis';

/** How long the code page waits after the password, at most (the interaction may end sooner). */
export const PENDING_SIGN_IN_TTL_SECONDS = 10 * 60;

/**
 * Sign-ins whose password was right and that wait for the second factor, keyed by the interaction's uid.
 * The uid only counts together with the browser's interaction cookie (interactionDetails checks it), so
 * another browser cannot finish someone else's sign-in. Removed when the sign-in finishes.
 */
export function createPendingSignIns(
  redis: RedisClient,
  ttlSeconds = PENDING_SIGN_IN_TTL_SECONDS,
  /** The sign-ins waiting for a required password change have their own. */
  keyPrefix = 'two-step:pending',
) {
  const keyOf = (uid: string) => `${keyPrefix}:${uid}`;
  return {
    async put(uid: string, accountId: string): Promise<void> {
      await redis.set(keyOf(uid), accountId, 'EX', ttlSeconds);
    },
    get: (uid: string): Promise<string | null> => redis.get(keyOf(uid)),
    async drop(uid: string): Promise<void> {
      await redis.del(keyOf(uid));
    },
  };
}
export type PendingSignIns = ReturnType<typeof createPendingSignIns>;
