import { createTestDatabase, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import type { OwnRedisServer } from '@bff-auth/service-kit/testing';
import {
  type JwksServer,
  type OutageFixture,
  startOutageFixture,
  type TokenFactory,
} from '@bff-auth/token-verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { MIGRATIONS_DIR } from './test-support';
import { type FakeAuthService, startFakeAuthService } from './testing/fake-auth-service';
import { createAuthServiceClient } from './upstream/auth-service-client';
import { createTokenExchangeSource } from './upstream/client-credentials';

const COMMAND_TIMEOUT_MS = 300;

describe('admin-api when Redis or the JWKS goes away', () => {
  let fixture: OutageFixture;
  let server: OwnRedisServer;
  let jwks: JwksServer;
  let tokens: TokenFactory;
  let upstream: FakeAuthService;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    fixture = await startOutageFixture({ audience: 'admin-api', commandTimeoutMs: COMMAND_TIMEOUT_MS });
    ({ server, jwks, tokens } = fixture);
    db = await createTestDatabase('admin_api_outages');
    await migrate(db, MIGRATIONS_DIR);
    upstream = await startFakeAuthService();
    app = createApp({
      db,
      redis: fixture.redis,
      verifier: fixture.verifier,
      users: createAuthServiceClient({
        baseUrl: upstream.internalUrl,
        tokens: createTokenExchangeSource({
          issuer: upstream.issuer,
          tokenUrl: upstream.tokenUrl,
          clientId: upstream.clientId,
          clientSecret: upstream.clientSecret,
          resource: upstream.internalResource,
        }),
      }),
      logger: createLogger({ name: 'admin-api', level: 'silent' }),
    });
  });

  afterAll(async () => {
    await fixture?.close();
    await upstream?.close();
    await db?.cleanup();
  });

  const listUsers = async () =>
    app.request('/api/v1/admin/users', {
      headers: { authorization: `Bearer ${await tokens.sign({ claims: { roles: ['admin'] } })}` },
    });

  it('answers 503 within the command timeout while Redis is down, /ready too, then recovers', async () => {
    expect((await listUsers()).status).toBe(200);
    await server.kill();
    const started = performance.now();
    const res = await listUsers();
    expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
    expect(res.status).toBe(503);
    expect((await app.request('/ready')).status).toBe(503);
    await server.start();
    await expect.poll(async () => (await listUsers()).status, { timeout: 10_000, interval: 100 }).toBe(200);
  });

  it('keeps verifying with the cached keys when the JWKS endpoint is unreachable', async () => {
    expect((await listUsers()).status).toBe(200);
    await jwks.close();
    expect((await listUsers()).status).toBe(200);
  });
});
