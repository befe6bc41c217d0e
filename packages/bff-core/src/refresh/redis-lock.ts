import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';

// Renew and release only while we still own the lock: another instance may hold it after our lease ran out.
const RENEW =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface HeldLock {
  /** Stops the lease renewal and deletes the lock if it is still ours. */
  release(): Promise<void>;
}

/**
 * Tries to take a Redis lock (SET NX PX) and keeps renewing its lease every third of it until
 * released, so a slow token endpoint does not let a second instance in.
 * @returns the held lock, or null when another owner has it.
 */
export async function tryLock(redis: RedisClient, key: string, leaseMs: number): Promise<HeldLock | null> {
  const owner = randomUUID();
  const taken = await redis.set(key, owner, 'PX', leaseMs, 'NX');
  if (taken !== 'OK') return null;
  const timer = setInterval(
    () => {
      redis.eval(RENEW, 1, key, owner, String(leaseMs)).catch(() => {});
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, owner).catch(() => {});
    },
  };
}
