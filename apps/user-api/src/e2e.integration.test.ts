import { fileURLToPath } from 'node:url';
import { harnessCredentials, startAuthService, type TestAuthService } from '@bff-auth/auth-service/testing';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { waitForRedis } from '@bff-auth/service-kit/redis';
import { connectRevocationStore, createDpopReplayCache, createTokenVerifier } from '@bff-auth/token-verifier';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, USER_API_AUDIENCE } from './app';

/** End to end: tokens from the real auth service (its test harness), verified by the real user-api. */
describe('user-api with the real auth service', () => {
  let auth: TestAuthService;
  let redis: RedisClient;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    auth = await startAuthService();
    // The revocation keys the auth service writes, read through user-api's own fail-fast connection.
    const connection = connectRevocationStore({ url: auth.redis.url, keyPrefix: auth.redis.prefix });
    redis = connection.redis;
    await waitForRedis(redis);
    db = await createTestDatabase('user_api_e2e');
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)));
    const verifier = createTokenVerifier({
      issuer: auth.issuer,
      audience: USER_API_AUDIENCE,
      revocation: connection.store,
      // As user-api runs: the harness's user-web tokens are DPoP-bound to its key.
      dpop: { mode: 'required', replay: createDpopReplayCache({ redis }) },
    });
    app = createApp({ db, redis, verifier, logger: createLogger({ name: 'user-api', level: 'silent' }) });
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.cleanup();
    await auth?.close();
  });

  const profile = async (accessToken: string) => {
    const url = 'http://localhost/api/v1/profiles/me';
    return app.request(url, { headers: await harnessCredentials('GET', url, accessToken) });
  };

  const internal = async (method: string, path: string) => {
    const res = await fetch(`${auth.internalUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await auth.adminApiToken()}`, 'x-acting-admin': 'e2e-admin' },
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('accepts a user-web token and creates the profile from its claims', async () => {
    const user = await auth.createUser({
      email: 'e2e-user@example.com',
      password: 'a-long-password',
      name: 'Edie Two',
    });
    const { access_token } = await auth.signIn('e2e-user@example.com', 'a-long-password', {
      clientId: 'user-web',
    });
    expect(decodeJwt(access_token)).toMatchObject({ aud: 'user-api', sub: user.id });
    const res = await profile(access_token);
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ locale: 'en' });
  });

  it('refuses an admin-web token (audience admin-api)', async () => {
    await auth.createUser({ email: 'e2e-admin@example.com', password: 'a-long-password', roles: ['admin'] });
    const { access_token } = await auth.signIn('e2e-admin@example.com', 'a-long-password', {
      clientId: 'admin-web',
    });
    expect((await profile(access_token)).status).toBe(401);
  });

  it('refuses the current token after a force logout', async () => {
    const user = await auth.createUser({ email: 'e2e-logout@example.com', password: 'a-long-password' });
    const { access_token } = await auth.signIn('e2e-logout@example.com', 'a-long-password');
    expect((await profile(access_token)).status).toBe(200);
    await internal('POST', `/users/${user.id}/logout`);
    const res = await profile(access_token);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('token_revoked');
  });

  it('refuses the current token once the user is disabled, and accepts new ones after enabling', async () => {
    const user = await auth.createUser({ email: 'e2e-disable@example.com', password: 'a-long-password' });
    const { access_token } = await auth.signIn('e2e-disable@example.com', 'a-long-password');
    expect((await profile(access_token)).status).toBe(200);
    await internal('POST', `/users/${user.id}/disable`);
    expect((await profile(access_token)).status).toBe(401);
    await internal('POST', `/users/${user.id}/enable`);
    await new Promise((r) => setTimeout(r, 1100)); // a fresh token must be issued after any not-before second
    const fresh = await auth.signIn('e2e-disable@example.com', 'a-long-password');
    expect((await profile(fresh.access_token)).status).toBe(200);
  });
});
