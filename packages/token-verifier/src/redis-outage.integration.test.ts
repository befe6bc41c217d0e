import { waitForRedis } from '@bff-auth/service-kit/redis';
import { type OwnRedisServer, startRedisServer } from '@bff-auth/service-kit/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRevocationStore } from './revocation-connection';
import { createTestResourceApp } from './test-app';
import {
  createIssuerKeys,
  createTokenFactory,
  type JwksServer,
  startJwksServer,
  type TokenFactory,
} from './testing';
import { createTokenVerifier } from './token-verifier';

const ISSUER = 'http://issuer.test';
const COMMAND_TIMEOUT_MS = 300;

describe('Redis outage (own redis-server, killed)', () => {
  let server: OwnRedisServer;
  let redis: Redis;
  let jwks: JwksServer;
  let tokens: TokenFactory;
  let app: ReturnType<typeof createTestResourceApp>;

  beforeAll(async () => {
    server = await startRedisServer();
    const connection = connectRevocationStore({ url: server.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
    redis = connection.redis;
    await waitForRedis(redis);
    const keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk]);
    tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
    app = createTestResourceApp(
      createTokenVerifier({
        issuer: ISSUER,
        audience: 'user-api',
        jwksUrl: jwks.jwksUrl,
        revocation: connection.store,
      }),
    );
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.kill();
    await jwks?.close();
  });

  const get = async () => app.request('/me', { headers: { authorization: `Bearer ${await tokens.sign()}` } });

  it('fails closed with 503 within the command timeout, then recovers without a restart', async () => {
    expect((await get()).status).toBe(200);
    await server.kill();

    const started = performance.now();
    const res = await get();
    expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ status: 'error', error: { code: 'revocation_unavailable' } });

    await server.start();
    await expect.poll(async () => (await get()).status, { timeout: 10_000, interval: 100 }).toBe(200);
  });
});
