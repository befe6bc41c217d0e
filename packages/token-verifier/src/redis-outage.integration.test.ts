import type { OwnRedisServer } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestResourceApp, type OutageFixture, startOutageFixture, type TokenFactory } from './testing';

const ISSUER = 'http://issuer.test';
const COMMAND_TIMEOUT_MS = 300;

describe('Redis outage (own redis-server, killed)', () => {
  let fixture: OutageFixture;
  let server: OwnRedisServer;
  let tokens: TokenFactory;
  let app: ReturnType<typeof createTestResourceApp>;

  beforeAll(async () => {
    fixture = await startOutageFixture({
      audience: 'user-api',
      issuer: ISSUER,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
    ({ server, tokens } = fixture);
    app = createTestResourceApp(fixture.verifier);
  });

  afterAll(async () => {
    await fixture?.close();
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
