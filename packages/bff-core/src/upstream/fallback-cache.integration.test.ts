import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { createTestRedis, startRedisServer, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFallbackCache } from './fallback-cache';

describe('fallback cache (real Redis)', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await createTestRedis('bff-fallback');
  });
  afterAll(() => t.cleanup());

  const answer = (name: string) => ({
    status: 200,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify({ name })),
  });
  /** What load() gives back for answer(name): the body in base64. */
  const kept = (name: string) => ({ ...answer(name), body: answer(name).body.toString('base64') });

  it('keeps the last good answer per user and route', async () => {
    const cache = createFallbackCache({ redis: t.redis, namespace: 'app-a' });
    await cache.store('profile.get', 'user-1', '', answer('Ann'));
    expect(await cache.load('profile.get', 'user-1', '')).toMatchObject(kept('Ann'));
    expect(await cache.load('profile.get', 'user-2', '')).toBeNull();
  });

  it('does not write an unchanged answer again, but writes a changed one at once', async () => {
    const cache = createFallbackCache({ redis: t.redis, namespace: 'app-b' });
    await cache.store('profile.get', 'user-1', '', answer('Ann'));
    const [key] = await t.redis.keys(`${t.prefix}bff:app-b:fallback:*`); // KEYS patterns are not prefixed
    expect(key).toBeDefined();
    await t.redis.del(key!.slice(t.prefix.length));

    await cache.store('profile.get', 'user-1', '', answer('Ann'));
    expect(await cache.load('profile.get', 'user-1', '')).toBeNull();

    await cache.store('profile.get', 'user-1', '', answer('Ann B.'));
    expect(await cache.load('profile.get', 'user-1', '')).toMatchObject(kept('Ann B.'));
  });

  it('writes the answer again once Redis comes back empty, instead of trusting what it wrote before', async () => {
    const server = await startRedisServer();
    const redis = createRedis({ url: server.url, failFast: false });
    try {
      await waitForRedis(redis);
      const cache = createFallbackCache({ redis, namespace: 'app-c' });
      await cache.store('profile.get', 'user-1', '', answer('Ann'));
      expect(await cache.load('profile.get', 'user-1', '')).toMatchObject(kept('Ann'));

      await server.kill();
      await server.start();
      await expect.poll(() => redis.ping().catch(() => 'down'), { timeout: 10_000 }).toBe('PONG');
      expect(await cache.load('profile.get', 'user-1', '')).toBeNull();

      await cache.store('profile.get', 'user-1', '', answer('Ann'));
      expect(await cache.load('profile.get', 'user-1', '')).toMatchObject(kept('Ann'));
      cache.close();
    } finally {
      redis.disconnect();
      await server.kill();
    }
  });
});
