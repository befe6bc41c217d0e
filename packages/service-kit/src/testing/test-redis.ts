import { randomUUID } from 'node:crypto';
import { createRedis, type RedisClient, waitForRedis } from '../redis';

/** The Redis the tests share: REDIS_URL or the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Command timeout of the test connections that are not fail-fast: generous, because a test process
 * that shares a busy CI machine with PGlite and argon2 may not read a reply for seconds, and a test
 * must not fail on timing.
 */
export const TEST_COMMAND_TIMEOUT_MS = 10_000;

export interface TestRedis {
  redis: RedisClient;
  /** The per-run key prefix, to hand to the code under test. */
  prefix: string;
  url: string;
  /** Deletes every key under the prefix and closes the connection. */
  cleanup(): Promise<void>;
}

/**
 * A connection to the shared Redis whose keys live under a prefix unique to this run, so parallel test
 * files and other projects on the same server never see each other's keys.
 */
export async function createTestRedis(label = 'test'): Promise<TestRedis> {
  const prefix = `t:${label}:${randomUUID().slice(0, 8)}:`;
  const redis = createRedis({
    url: TEST_REDIS_URL,
    keyPrefix: prefix,
    failFast: false,
    commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS,
  });
  await waitForRedis(redis);
  // A test Redis starts as a healthy one: its revocation state complete, as the auth service declares
  // after restoring it (key `revocationKeys.restored` of @bff-auth/revocation, which depends on this package); its value `0` says nothing was ever lost.
  await redis.set('revocation:restored', '0');
  return {
    redis,
    prefix,
    url: TEST_REDIS_URL,
    async cleanup() {
      const raw = createRedis({
        url: TEST_REDIS_URL,
        failFast: false,
        commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS,
      });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length) await raw.del(...keys);
        } while (cursor !== '0');
      } finally {
        raw.disconnect();
        redis.disconnect();
      }
    },
  };
}
