import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import type { OwnRedisServer } from '@bff-auth/service-kit/testing';
import {
  type JwksServer,
  type OutageFixture,
  startOutageFixture,
  type TokenFactory,
} from '@bff-auth/token-verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';

const COMMAND_TIMEOUT_MS = 300;
const METRICS_TOKEN = 'outage-test-metrics-token';

describe('user-api when Redis or the JWKS goes away', () => {
  let fixture: OutageFixture;
  let server: OwnRedisServer;
  let jwks: JwksServer;
  let tokens: TokenFactory;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    fixture = await startOutageFixture({ audience: 'user-api', commandTimeoutMs: COMMAND_TIMEOUT_MS });
    ({ server, jwks, tokens } = fixture);
    db = await createTestDatabase('user_api_outages');
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)));
    app = createApp({
      db,
      redis: fixture.redis,
      verifier: fixture.verifier,
      logger: createLogger({ name: 'user-api', level: 'silent' }),
      telemetry: { metrics: createServiceMetrics({ service: 'user-api' }), metricsToken: METRICS_TOKEN },
    });
  });

  const failClosedCount = async () => {
    const scrape = await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    return /^revocation_check_fail_closed_total\{service="user-api"\} (\d+)$/m.exec(await scrape.text())?.[1];
  };

  afterAll(async () => {
    await fixture?.close();
    await db?.cleanup();
  });

  const getProfile = async () =>
    app.request('/api/v1/profiles/me', { headers: { authorization: `Bearer ${await tokens.sign()}` } });

  it('answers 503 within the command timeout while Redis is down, /ready too, then recovers', async () => {
    expect((await getProfile()).status).toBe(200);
    await server.kill();

    const started = performance.now();
    const res = await getProfile();
    expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', error: { code: 'revocation_unavailable' } });
    expect(await failClosedCount()).toBe('1');
    const ready = await app.request('/ready');
    expect(ready.status).toBe(503);
    expect((await ready.json()).error.details).toEqual({ database: 'ok', redis: 'unreachable' });
    expect((await app.request('/health')).status).toBe(200);

    await server.start();
    await expect.poll(async () => (await getProfile()).status, { timeout: 10_000, interval: 100 }).toBe(200);
    expect((await app.request('/ready')).status).toBe(200);
  });

  it('keeps verifying with the cached keys when the JWKS endpoint is unreachable', async () => {
    expect((await getProfile()).status).toBe(200);
    await jwks.close();
    expect((await getProfile()).status).toBe(200);
  });
});
