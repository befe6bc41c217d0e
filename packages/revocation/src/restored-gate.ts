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
  /**
   * When Redis was last given back the revocation state (epoch ms, the marker's value), as last read on
   * this connection; null before the first read. State kept in Redis only for a short time — DPoP proofs
   * seen — may have been lost before that moment.
   */
  restoredAt(): number | null;
  /**
   * Writes the marker, unless it is there: the revocation state in Redis is complete (called by the
   * restorer). A marker already there keeps its time — Redis lost nothing since — so that a restorer that
   * merely reconnected or restarted does not make readers treat recent state as lost.
   */
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
  let restoredAt: number | null = null;
  redis.on('close', () => {
    seenAt = 0;
  });
  return {
    pending() {
      if (Date.now() - seenAt < recheckMs) return null;
      return redis.get(revocationKeys.restored).then(
        (value) => {
          if (value === null) {
            throw new RevocationUnavailableError(new Error('the revocation state is being restored'));
          }
          // Our auth service writes epoch ms; `0` (test fixtures) says nothing was ever lost.
          const at = Number(value);
          restoredAt = Number.isSafeInteger(at) && at > 0 ? at : 0;
          seenAt = Date.now();
        },
        (error: unknown) => {
          throw new RevocationUnavailableError(error);
        },
      );
    },
    restoredAt: () => restoredAt,
    async markRestored() {
      await redis.set(revocationKeys.restored, String(Date.now()), 'NX');
      seenAt = 0; // the next read takes the marker's time: this one, or the one already there
    },
  };
}
