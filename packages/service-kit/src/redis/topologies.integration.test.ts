import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_TOPOLOGIES, type RedisTopology, startRedisTopology } from '../testing/redis-topology';
import { createRedis } from './create-redis';
import { duplicateRedis } from './duplicate-redis';
import { isRedisWritable } from './redis-writable';

describe.each(REDIS_TOPOLOGIES)('createRedis on %s', (kind) => {
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await startRedisTopology(kind);
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });

  it('writes and reads under the key prefix, and MGETs keys that share a hash tag', async () => {
    const redis = await topology.connect({ keyPrefix: 'p1:' });
    await redis.set('{u:1}:a', 'A');
    await redis.set('{u:1}:b', 'B');
    expect(await redis.mget('{u:1}:a', '{u:1}:b', '{u:1}:c')).toEqual(['A', 'B', null]);
    const raw = await topology.connect();
    expect(await raw.get('p1:{u:1}:a')).toBe('A');
    expect(redis.options.keyPrefix).toBe('p1:');
  });

  it('delivers pub/sub through a duplicated subscriber', async () => {
    const redis = await topology.connect();
    const subscriber = duplicateRedis(redis, { enableOfflineQueue: true, autoResubscribe: true });
    try {
      await subscriber.subscribe('chan');
      const got = new Promise<string>((resolve) => subscriber.on('message', (_c, m) => resolve(m)));
      await expect
        .poll(async () => {
          await redis.publish('chan', 'hello');
          return Promise.race([got, new Promise((r) => setTimeout(() => r(null), 100))]);
        })
        .toBe('hello');
    } finally {
      subscriber.disconnect();
    }
  });

  it('answers a command given before the connection is up (a fresh instance is not 503)', async () => {
    const fresh = createRedis({ ...topology.endpoint, keyPrefix: 'fresh:' });
    try {
      expect(fresh.status).not.toBe('ready');
      expect(await fresh.mget('{u:1}:a', '{u:1}:b')).toEqual([null, null]);
    } finally {
      fresh.disconnect();
    }
  });

  it('says the connection is writable', async () => {
    expect(await isRedisWritable(await topology.connect())).toBe(true);
  });

  it('fails a command within its timeout while nothing answers (no hang)', async () => {
    // A port nobody listens on: the command waits in the offline queue no longer than its timeout.
    const dead = createRedis(
      kind === 'cluster'
        ? { clusterNodes: [{ host: '127.0.0.1', port: 1 }], commandTimeoutMs: 200 }
        : { url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 },
    );
    try {
      await expect(dead.get('x')).rejects.toThrow();
    } finally {
      dead.disconnect();
    }
  });
});
