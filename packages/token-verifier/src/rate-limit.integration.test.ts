import { createRedis } from '@bff-auth/service-kit/redis';
import {
  freePort,
  REDIS_TOPOLOGIES,
  type RedisTopology,
  startRedisTopology,
} from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserRateLimiter } from './rate-limit';
import { createTestResourceApp, type ResourceServerFixture, startResourceServerFixture } from './testing';

// rate-limiter-flexible keeps one key per user and limiter (`<keyPrefix>:<userId>`) and never touches
// two keys in one command, so it needs no hash tag; these runs prove it on each topology.
describe.each(REDIS_TOPOLOGIES)('createUserRateLimiter on %s Redis', (kind) => {
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await startRedisTopology(kind);
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });

  it('counts per user and says when to come back once a user spent the limit', async () => {
    const redis = await topology.connect({ keyPrefix: 'rate-limit:', failFast: true });
    const limiter = createUserRateLimiter({ redis, keyPrefix: 'rl:test', points: 2, durationSec: 60 });
    expect(await limiter.consume('a')).toEqual({ limited: false, remaining: 1 });
    expect(await limiter.consume('a')).toEqual({ limited: false, remaining: 0 });
    const limited = await limiter.consume('a');
    expect(limited.limited).toBe(true);
    expect(limited.limited && limited.retryAfterSec).toBeGreaterThan(0);
    expect(await limiter.consume('b')).toEqual({ limited: false, remaining: 1 });
  });
});

describe('accessTokenAuth with a rate limit (real Redis, real JWKS server)', () => {
  let fixture: ResourceServerFixture;
  beforeAll(async () => {
    fixture = await startResourceServerFixture({
      service: 'token-verifier',
      label: 'rate-limit',
      audience: 'user-api',
    });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const appWith = (rateLimit: ReturnType<typeof createUserRateLimiter>) =>
    createTestResourceApp(fixture.verifier, { rateLimit });
  const get = async (app: ReturnType<typeof appWith>, sub: string) =>
    app.request('/me', {
      headers: { authorization: `Bearer ${await fixture.tokens.sign({ claims: { sub } })}` },
    });

  it('answers 429 with Retry-After over the limit, and says what is left under it', async () => {
    const app = appWith(
      createUserRateLimiter({ redis: fixture.redis, keyPrefix: 'rl:auth-test', points: 2, durationSec: 60 }),
    );
    const first = await get(app, 'rl-user-1');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    expect((await get(app, 'rl-user-1')).status).toBe(200);
    const limited = await get(app, 'rl-user-1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 'error', error: { code: 'rate_limited' } });
    expect((await get(app, 'rl-user-2')).status).toBe(200);
  });

  it('does not count a request whose token fails its own checks', async () => {
    const app = appWith(
      createUserRateLimiter({
        redis: fixture.redis,
        keyPrefix: 'rl:auth-test-2',
        points: 1,
        durationSec: 60,
      }),
    );
    const forged = `${(await fixture.tokens.sign({ claims: { sub: 'rl-user-3' } })).slice(0, -4)}AAAA`;
    expect((await app.request('/me', { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    expect((await get(app, 'rl-user-3')).status).toBe(200);
  });

  it('fails closed with 503 when the limiter cannot count (its Redis is unreachable)', async () => {
    // A real connection to a port nothing listens on: every command fails within its timeout.
    const dead = createRedis({ url: `redis://127.0.0.1:${await freePort()}`, commandTimeoutMs: 200 });
    try {
      const app = appWith(createUserRateLimiter({ redis: dead, keyPrefix: 'rl:dead' }));
      const res = await get(app, 'rl-user-4');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'service_unavailable' } });
    } finally {
      dead.disconnect();
    }
  });
});
