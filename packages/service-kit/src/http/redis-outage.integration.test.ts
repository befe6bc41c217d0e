import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { createRedis, isRedisUnavailableError, waitForRedis } from '../redis';
import { type OwnRedisServer, startRedisServer } from '../testing';
import { createServiceApp } from './service-app';

const logger = createLogger({ name: 'test', level: 'silent' });

/** A real redis-server, frozen (SIGSTOP) or gone, behind a route: the answer is a 503, never a 500. */
describe('a route whose Redis cannot answer', () => {
  let server: OwnRedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    server.resume();
    await server.kill();
  });

  function appWith(redis: ReturnType<typeof createRedis>) {
    const app = createServiceApp({ logger, db: { query: async () => [] } as never, redis });
    app.get('/count', async (c) => c.json({ n: await redis.incr('count') }));
    return app;
  }

  it('answers 503 with Retry-After when Redis is frozen (command timeout)', async () => {
    const redis = createRedis({ url: server.url, commandTimeoutMs: 300 });
    await waitForRedis(redis);
    const app = appWith(redis);
    expect((await app.request('/count')).status).toBe(200);
    server.pause();
    try {
      const res = await app.request('/count');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toMatchObject({ status: 'error', error: { code: 'unavailable' } });
    } finally {
      server.resume();
      redis.disconnect();
    }
  });

  it('answers 503 when there is no Redis at all (refused connection, fail fast)', async () => {
    const redis = createRedis({ url: 'redis://127.0.0.1:1' });
    try {
      expect((await appWith(redis).request('/count')).status).toBe(503);
    } finally {
      redis.disconnect();
    }
  });

  it('tells Redis outages from other errors', () => {
    expect(isRedisUnavailableError(new Error('Command timed out'))).toBe(true);
    expect(isRedisUnavailableError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isRedisUnavailableError(new Error('READONLY You can\u2019t write against a read only replica.')),
    ).toBe(true);
    expect(isRedisUnavailableError(new Error('wrapped', { cause: new Error('Connection is closed.') }))).toBe(
      true,
    );
    expect(
      isRedisUnavailableError(new Error('WRONGTYPE Operation against a key holding the wrong kind')),
    ).toBe(false);
    expect(isRedisUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isRedisUnavailableError('Command timed out')).toBe(false);
  });
});
