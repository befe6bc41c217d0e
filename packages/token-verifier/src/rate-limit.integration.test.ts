import { failure, requestId } from '@bff-auth/service-kit/http';
import { REDIS_TOPOLOGIES, type RedisTopology, startRedisTopology } from '@bff-auth/service-kit/testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthEnv } from './access-token-auth';
import type { AccessTokenIdentity } from './access-token-identity';
import { userRateLimit } from './rate-limit';

// rate-limiter-flexible keeps one key per user and limiter (`<keyPrefix>:<userId>`) and never touches
// two keys in one command, so it needs no hash tag; these runs prove it on each topology.
describe.each(REDIS_TOPOLOGIES)('userRateLimit on %s Redis', (kind) => {
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await startRedisTopology(kind);
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });

  const appFor = (limit: ReturnType<typeof userRateLimit>) => {
    const app = new Hono<AuthEnv>();
    app.use(requestId());
    app.use(async (c, next) => {
      const userId = c.req.header('x-test-user');
      if (!userId) return failure(c, 401, 'missing_token', 'no user');
      c.set('auth', { userId } as AccessTokenIdentity);
      await next();
    });
    app.use(limit);
    app.get('/', (c) => c.text('ok'));
    return app;
  };

  it('answers 429 with Retry-After once a user spends the limit, per user', async () => {
    const redis = await topology.connect({ keyPrefix: 'rate-limit:', failFast: true });
    const app = appFor(userRateLimit({ redis, keyPrefix: 'rl:test', points: 2, durationSec: 60 }));
    const as = (user: string) => app.request('/', { headers: { 'x-test-user': user } });
    expect((await as('a')).status).toBe(200);
    expect((await as('a')).status).toBe(200);
    const limited = await as('a');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 'error', error: { code: 'rate_limited' } });
    expect((await as('b')).status).toBe(200);
  });
});
