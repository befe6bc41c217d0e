import { createHash } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';

/** Remembers the proofs already seen, across every instance of an API (RFC 9449 §11.1). */
export interface DpopReplayCache {
  /**
   * Records the proof `jti` of key `jkt` for `ttlSec` seconds. @returns false when it was already there
   * (a replay). @throws whatever Redis throws (the caller fails closed).
   */
  firstUse(jkt: string, jti: string, ttlSec: number): Promise<boolean>;
}

/**
 * The replay cache on Redis: one `SET NX EX` per proof, under `dpop:{<jkt>}:<hash of jti>` (the key's
 * thumbprint as hash tag: one slot per key on a Cluster; the jti hashed, so its length and characters
 * never reach Redis). The connection's own key prefix applies.
 */
export function createDpopReplayCache({ redis }: { redis: RedisClient }): DpopReplayCache {
  return {
    async firstUse(jkt, jti, ttlSec) {
      const id = createHash('sha256').update(jti).digest('base64url');
      const answer = await redis.set(`dpop:{${jkt}}:${id}`, '1', 'EX', ttlSec, 'NX');
      return answer === 'OK';
    },
  };
}
