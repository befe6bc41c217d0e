import {
  harnessCredentials,
  startAuthService,
  TEST_SECRETS,
  type TestAuthService,
} from '@bff-auth/auth-service/testing';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { waitForRedis } from '@bff-auth/service-kit/redis';
import { connectRevocationStore, createDpopReplayCache, createTokenVerifier } from '@bff-auth/token-verifier';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_API_AUDIENCE, createApp } from './app';
import { createAuditLog } from './audit/audit-log';
import { createStepUpRule } from './step-up/step-up';
import { MIGRATIONS_DIR } from './test-support';
import { createAuthServiceClient } from './upstream/auth-service-client';
import { createTokenExchangeSource } from './upstream/client-credentials';

const PASSWORD = 'a-long-password';

/**
 * End to end: admin-api with the real auth service (its test harness) — admin tokens from the code flow,
 * exchanged (RFC 8693) for internal-API tokens acting for the admin, revocation through the shared Redis.
 */
describe('admin-api with the real auth service', () => {
  let auth: TestAuthService;
  let redis: RedisClient;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let adminToken: string;

  beforeAll(async () => {
    auth = await startAuthService();
    const connection = connectRevocationStore({ url: auth.redis.url, keyPrefix: auth.redis.prefix });
    redis = connection.redis;
    await waitForRedis(redis);
    db = await createTestDatabase('admin_api_e2e');
    await migrate(db, MIGRATIONS_DIR);
    app = createApp({
      db,
      redis,
      verifier: createTokenVerifier({
        issuer: auth.issuer,
        audience: ADMIN_API_AUDIENCE,
        revocation: connection.store,
        // As admin-api runs: the admin-web tokens of the harness are bound to its DPoP key.
        dpop: { mode: 'required', replay: createDpopReplayCache({ redis }) },
      }),
      users: createAuthServiceClient({
        baseUrl: auth.internalUrl,
        tokens: createTokenExchangeSource({
          issuer: auth.issuer,
          tokenUrl: `${auth.issuer}/token`,
          clientId: 'admin-api',
          clientSecret: TEST_SECRETS['admin-api'],
          resource: auth.internalResource,
        }),
      }),
      logger: createLogger({ name: 'admin-api', level: 'silent' }),
      // The auth service here leaves TOTP optional (its test default): a fresh password sign-in counts.
      stepUp: createStepUpRule({ twoStepRequired: false }),
    });
    await auth.createUser({ email: 'boss@example.com', password: PASSWORD, roles: ['admin'] });
    adminToken = (await auth.signIn('boss@example.com', PASSWORD, { clientId: 'admin-web' })).access_token;
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.cleanup();
    await auth?.close();
  });

  const admin = async (method: string, path: string, body?: unknown, token = adminToken) => {
    const url = `http://localhost/api/v1/admin${path}`;
    return app.request(url, {
      method,
      headers: {
        ...(await harnessCredentials(method, url, token)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };

  it('acts as the admin through a token exchange: both audits record who and through what', async () => {
    const boss = decodeJwt(adminToken).sub!;
    const requestId = 'e2e-exchange-audit';
    const url = 'http://localhost/api/v1/admin/users';
    const res = await app.request(url, {
      method: 'POST',
      headers: {
        ...(await harnessCredentials('POST', url, adminToken)),
        'content-type': 'application/json',
        'x-request-id': requestId,
      },
      body: JSON.stringify({
        email: 'audited@example.com',
        name: 'Audited',
        password: PASSWORD,
        roles: ['user'],
      }),
    });
    expect(res.status).toBe(201);
    // admin-api: the admin, through admin-web (the client of the admin's token).
    const [ours] = (
      await createAuditLog(db).list({ action: 'users.create', actor: boss, page: 1, pageSize: 5 })
    ).items;
    expect(ours).toMatchObject({ requestId, actorId: boss, actorClientId: 'admin-web', outcome: 'success' });
    // auth-service: the admin (the exchanged token's sub), through admin-api (its act).
    const { rows } = await auth.db.query<{ actor_id: string; client_id: string }>(
      'SELECT actor_id, client_id FROM admin_audit WHERE request_id = $1',
      [requestId],
    );
    expect(rows).toEqual([{ actor_id: boss, client_id: 'admin-api' }]);
  });

  it('answers 403 when the auth service will no longer act for the admin (role gone, token not yet outdated)', async () => {
    const fading = await auth.createUser({
      email: 'fading@example.com',
      password: PASSWORD,
      roles: ['admin'],
    });
    const { access_token } = await auth.signIn('fading@example.com', PASSWORD, { clientId: 'admin-web' });
    // The role is gone in authdb but no roles-changed marker was written: admin-api still takes the token.
    await auth.service.users.update(fading.id, { roles: ['user'] });
    const res = await admin('GET', '/users', undefined, access_token);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('auth_service_refused_subject');
  });

  it('lists users with a real admin token exchanged for an internal-API token', async () => {
    expect(decodeJwt(adminToken)).toMatchObject({ aud: 'admin-api', roles: ['admin'] });
    const res = await admin('GET', '/users?q=boss');
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data.items.map((u: { email: string }) => u.email)).toContain('boss@example.com');
  });

  it('creates a user through the auth service, who can then sign in', async () => {
    const res = await admin('POST', '/users', {
      email: 'created@example.com',
      name: 'Created',
      password: PASSWORD,
      roles: ['user'],
    });
    expect(res.status).toBe(201);
    const tokens = await auth.signIn('created@example.com', PASSWORD);
    expect(decodeJwt(tokens.access_token).roles).toEqual(['user']);
    expect(
      (await admin('POST', '/users', { email: 'created@example.com', name: 'X', password: PASSWORD })).status,
    ).toBe(409);
  });

  it('makes a role change visible in the next token', async () => {
    const user = await auth.createUser({ email: 'promote@example.com', password: PASSWORD, roles: ['user'] });
    const first = await auth.signIn('promote@example.com', PASSWORD, { clientId: 'admin-web' });
    expect(decodeJwt(first.access_token).roles).toEqual(['user']);
    expect((await admin('GET', '/users', undefined, first.access_token)).status).toBe(403);

    const patched = await admin('PATCH', `/users/${user.id}`, { roles: ['user', 'admin'] });
    expect(patched.status).toBe(200);
    expect((await patched.json()).data.roles).toEqual(['user', 'admin']);

    const next = first.refresh_token
      ? (
          await auth.tokenRequest('admin-web', {
            grant_type: 'refresh_token',
            refresh_token: first.refresh_token,
          })
        ).body
      : await auth.signIn('promote@example.com', PASSWORD, { clientId: 'admin-web' });
    expect(decodeJwt(next.access_token as string).roles).toEqual(['user', 'admin']);
    expect((await admin('GET', '/users', undefined, next.access_token as string)).status).toBe(200);

    const [entry] = (
      await createAuditLog(db).list({ action: 'users.update', target: user.id, page: 1, pageSize: 5 })
    ).items;
    expect(entry).toMatchObject({
      outcome: 'success',
      before: { roles: ['user'] },
      after: { roles: ['user', 'admin'] },
    });
  });

  it("makes a disabled admin's current token fail", async () => {
    const other = await auth.createUser({
      email: 'other-admin@example.com',
      password: PASSWORD,
      roles: ['admin'],
    });
    const { access_token } = await auth.signIn('other-admin@example.com', PASSWORD, {
      clientId: 'admin-web',
    });
    expect((await admin('GET', '/users', undefined, access_token)).status).toBe(200);
    const res = await admin('POST', `/users/${other.id}/disable`);
    expect(res.status).toBe(200);
    expect((await res.json()).data.disabled).toBe(true);
    expect((await admin('GET', '/users', undefined, access_token)).status).toBe(401);
  });

  it("makes a force-logged-out admin's current token fail and lists no sessions afterwards", async () => {
    const other = await auth.createUser({
      email: 'logout-admin@example.com',
      password: PASSWORD,
      roles: ['admin'],
    });
    const { access_token } = await auth.signIn('logout-admin@example.com', PASSWORD, {
      clientId: 'admin-web',
    });
    const sessions = await admin('GET', `/users/${other.id}/sessions`);
    expect((await sessions.json()).data.length).toBeGreaterThan(0);

    const logout = await admin('POST', `/users/${other.id}/logout`);
    expect((await logout.json()).data.revokedSessions).toBeGreaterThan(0);
    expect((await admin('GET', '/users', undefined, access_token)).status).toBe(401);
    expect((await (await admin('GET', `/users/${other.id}/sessions`)).json()).data).toEqual([]);
  });

  it('refuses a name with a lone surrogate with 422 and grants nothing (the change escaped the audit before)', async () => {
    const user = await auth.createUser({
      email: 'surrogate@example.com',
      password: PASSWORD,
      roles: ['user'],
    });
    const res = await admin('PATCH', `/users/${user.id}`, { name: '\ud800', roles: ['user', 'admin'] });
    expect(res.status).toBe(422);
    expect((await res.json()).error.details).toHaveProperty('name');
    expect((await auth.service.users.findById(user.id))?.roles).toEqual(['user']);
    const [entry] = (
      await createAuditLog(db).list({ action: 'users.update', target: user.id, page: 1, pageSize: 5 })
    ).items;
    expect(entry).toMatchObject({ outcome: 'rejected', status: 422 });
  });

  it('answers a search with NUL with 422, not 502', async () => {
    expect((await admin('GET', '/users?q=%00')).status).toBe(422);
  });

  it("refuses a demoted admin's current token at once with 401 token_outdated", async () => {
    await auth.createUser({ email: 'demoted-admin@example.com', password: PASSWORD, roles: ['admin'] });
    const { access_token } = await auth.signIn('demoted-admin@example.com', PASSWORD, {
      clientId: 'admin-web',
    });
    expect((await admin('GET', '/users', undefined, access_token)).status).toBe(200);
    const { sub } = decodeJwt(access_token);
    expect((await admin('PATCH', `/users/${sub}`, { roles: ['user'] })).status).toBe(200);
    const res = await admin('GET', '/users', undefined, access_token);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('token_outdated');
  });

  it('refuses self-demotion with 409, audited in admindb as rejected and in authdb as refused', async () => {
    const { sub } = decodeJwt(adminToken);
    const res = await admin('PATCH', `/users/${sub}`, { roles: ['user'] });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('cannot_demote_self');
    expect((await auth.service.users.findById(sub!))?.roles).toEqual(['admin']);
    const requestId = res.headers.get('x-request-id');
    const [entry] = (await createAuditLog(db).list({ action: 'users.update', page: 1, pageSize: 1 })).items;
    expect(entry).toMatchObject({ requestId, outcome: 'rejected', errorCode: 'cannot_demote_self' });
    const { rows } = await auth.db.query(
      'SELECT outcome, error_code, actor_id FROM admin_audit WHERE request_id = $1',
      [requestId],
    );
    expect(rows).toEqual([{ outcome: 'refused', error_code: 'cannot_demote_self', actor_id: sub }]);
  });

  it('passes the auth service 404 through', async () => {
    const res = await admin('GET', '/users/no-such-user');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('user_not_found');
  });
});
