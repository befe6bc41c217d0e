import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../http/health';
import { type RedisTopology, startRedisTopology } from '../testing/redis-topology';
import { createRedis, type RedisClient } from './create-redis';

const db = { query: async () => [] };

/** Writes a counter every few ms until stopped; records which writes were acknowledged and which failed. */
function writeTraffic(redis: RedisClient) {
  const acknowledged: number[] = [];
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      await redis.set(`traffic:${i}`, String(i)).then(
        () => acknowledged.push(i),
        (error: Error) => failures.push(error.message),
      );
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    acknowledged,
    failures,
    async stop() {
      running = false;
      await loop;
    },
  };
}

describe('Sentinel failover under traffic', () => {
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await startRedisTopology('sentinel');
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });

  it('follows SENTINEL FAILOVER by itself; a connection left on the demoted master is not ready', async () => {
    const redis = await topology.connect({ failFast: true });
    const app = healthRoutes({ db, redis });
    const oldMaster = await topology.masterPort();
    const pinned = createRedis({ url: `redis://127.0.0.1:${oldMaster}`, failFast: true });
    try {
      expect((await app.request('/ready')).status).toBe(200);
      const traffic = writeTraffic(redis);
      await topology.failover();
      const newMaster = await topology.masterPort();
      expect(newMaster).not.toBe(oldMaster);
      // Writes reach the new master without a restart or a new connection.
      const before = traffic.acknowledged.length;
      await expect.poll(() => traffic.acknowledged.length, { timeout: 15_000 }).toBeGreaterThan(before + 20);
      await traffic.stop();
      // Every write acknowledged after the switch is on the new master, none went to the old one.
      const last = traffic.acknowledged.at(-1)!;
      const direct = createRedis({ url: `redis://127.0.0.1:${newMaster}`, failFast: false });
      try {
        expect(await direct.get(`traffic:${last}`)).toBe(String(last));
      } finally {
        direct.disconnect();
      }
      // Failures during the switch are errors the services turn into 503, never READONLY writes that
      // keep failing after it.
      expect(await (await app.request('/ready')).json()).toMatchObject({ data: { redis: 'ok' } });

      // A client pinned to the old master by REDIS_URL reaches a read-only replica: /ready says so.
      const pinnedApp = healthRoutes({ db, redis: pinned });
      await expect
        .poll(
          async () => {
            const res = await pinnedApp.request('/ready');
            return { status: res.status, body: await res.json() };
          },
          { timeout: 15_000 },
        )
        .toMatchObject({ status: 503, body: { error: { code: 'not_ready' } } });
      expect(JSON.stringify(await (await pinnedApp.request('/ready')).json())).toContain(
        '"redis":"read-only"',
      );
    } finally {
      pinned.disconnect();
    }
  }, 60_000);

  it('keeps a subscription across a failover (resubscribes on the new master)', async () => {
    const publisher = await topology.connect({ failFast: true });
    const subscriber = await topology.connect();
    const received: string[] = [];
    subscriber.on('message', (_channel, message) => received.push(message));
    await subscriber.subscribe('auth.events');
    await topology.failover();
    await expect
      .poll(
        async () => {
          await publisher.publish('auth.events', 'after-failover').catch(() => 0);
          return received.includes('after-failover');
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
  }, 60_000);

  it('follows a master that was killed', async () => {
    const redis = await topology.connect({ failFast: true });
    const app = healthRoutes({ db, redis });
    const traffic = writeTraffic(redis);
    const oldMaster = await topology.masterPort();
    await topology.killMaster();
    expect(await topology.masterPort()).not.toBe(oldMaster);
    const before = traffic.acknowledged.length;
    await expect.poll(() => traffic.acknowledged.length, { timeout: 15_000 }).toBeGreaterThan(before + 20);
    await traffic.stop();
    expect((await app.request('/ready')).status).toBe(200);
  }, 60_000);
});
