import type { RedisClient } from './create-redis';

/** The key /ready writes (after the connection's keyPrefix). */
export const READY_PROBE_KEY = 'ready:probe';

/**
 * Whether the connection can write right now: a short-lived SET, not a PING, because a PING succeeds
 * on a read-only replica (a demoted master after a failover) where every real write fails. On a
 * Cluster the SET goes to the slot's master like any write.
 */
export async function isRedisWritable(redis: Pick<RedisClient, 'set'>): Promise<boolean> {
  try {
    return (await redis.set(READY_PROBE_KEY, String(Date.now()), 'PX', 10_000)) === 'OK';
  } catch {
    return false;
  }
}
