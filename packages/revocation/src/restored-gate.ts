import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RevocationUnavailableError } from './errors';
import { revocationKeys } from './keys';

/** How long a reader trusts that the revocation state is complete before it looks at the marker again. */
export const RESTORED_RECHECK_MS = 1000;

export interface RestoredGate {
  /**
   * Null while the marker was seen recently on this connection; otherwise a check to run beside the
   * revocation read (same round trip), which throws RevocationUnavailableError when the marker is absent.
   */
  pending(): Promise<void> | null;
  /** Writes the marker: the revocation state in Redis is complete (called by the restorer). */
  markRestored(): Promise<void>;
}

/**
 * Revocation keys are only trustworthy when Redis holds all of them. After Redis restarted empty (or a
 * failover lost writes) an absent key could mean "revoked, but forgotten", so readers fail closed until
 * the auth service has re-applied the durable record and written `revocationKeys.restored`. Every reader
 * looks at that marker at least once a second and at once after its connection dropped: an empty restart
 * always drops the connection.
 */
export function createRestoredGate(
  redis: RedisClient,
  { recheckMs = RESTORED_RECHECK_MS } = {},
): RestoredGate {
  let seenAt = 0;
  redis.on('close', () => {
    seenAt = 0;
  });
  return {
    pending() {
      if (Date.now() - seenAt < recheckMs) return null;
      return redis.exists(revocationKeys.restored).then(
        (present) => {
          if (!present) {
            throw new RevocationUnavailableError(new Error('the revocation state is being restored'));
          }
          seenAt = Date.now();
        },
        (error: unknown) => {
          throw new RevocationUnavailableError(error);
        },
      );
    },
    async markRestored() {
      await redis.set(revocationKeys.restored, String(Date.now()));
      seenAt = Date.now();
    },
  };
}
