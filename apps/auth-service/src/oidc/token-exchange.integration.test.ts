import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@bff-auth/service-kit/upstream';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import { startAuthService, type TestAuthService } from '../testing';
import { EXCHANGED_TOKEN_MAX_TTL_SECONDS } from './token-exchange';

// SPEC §13 token exchange (RFC 8693): admin-api trades the acting admin's access token for one to the
// internal API whose `sub` is the admin and whose `act` names admin-api.
describe('token exchange for admin-api', () => {
  let auth: TestAuthService;
  let admin: { id: string };
  let adminToken: string;
  const password = 'correct horse battery';

  const exchange = (
    subjectToken: string,
    extra: Record<string, string> = {},
    clientId: 'admin-api' | 'user-api' | 'user-web' = 'admin-api',
  ) =>
    auth.tokenRequest(clientId, {
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      resource: auth.internalResource,
      ...extra,
    });

  const internal = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${auth.internalUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  beforeAll(async () => {
    auth = await startAuthService();
    admin = await auth.createUser({ email: 'ada@example.com', password, roles: ['user', 'admin'] });
    adminToken = (await auth.signIn('ada@example.com', password, { clientId: 'admin-web' })).access_token;
  });
  afterAll(() => auth?.close());

  it('gives admin-api a short-lived internal-API token for the admin, with act naming admin-api', async () => {
    const { status, body } = await exchange(adminToken);
    expect(status).toBe(200);
    expect(body).toMatchObject({ issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer' });
    const claims = decodeJwt(body.access_token!);
    expect(claims).toMatchObject({
      iss: auth.issuer,
      sub: admin.id,
      aud: 'auth-internal',
      client_id: 'admin-api',
      scope: 'users:manage',
      act: { sub: 'admin-api' },
    });
    const subject = decodeJwt(adminToken);
    expect(claims.exp).toBeLessThanOrEqual(subject.exp!);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(EXCHANGED_TOKEN_MAX_TTL_SECONDS);
    const discovery = await (await fetch(`${auth.url}/.well-known/openid-configuration`)).json();
    expect(discovery.grant_types_supported).toContain(TOKEN_EXCHANGE_GRANT_TYPE);
  });

  it('lets the internal API take the admin from the token and audit who and through what', async () => {
    const { body } = await exchange(adminToken);
    const requestId = 'tx-audit-1';
    const created = await internal('/users', body.access_token!, {
      method: 'POST',
      headers: { 'x-request-id': requestId },
      body: JSON.stringify({ email: 'new@example.com', name: 'New', password, roles: ['user'] }),
    });
    expect(created.status).toBe(201);
    const [row] = await adminAudit.list(auth.db, { requestId });
    expect(row).toMatchObject({ actorId: admin.id, clientId: 'admin-api', action: 'users.create' });
  });

  it('refuses an X-Acting-Admin header that names someone other than the exchanged token’s admin', async () => {
    const { body } = await exchange(adminToken);
    const res = await internal('/users', body.access_token!, {
      method: 'POST',
      headers: { 'x-acting-admin': 'someone-else' },
      body: JSON.stringify({ email: 'other@example.com', name: 'Other', password, roles: ['user'] }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('actor_mismatch');
  });

  describe('refuses a wrong subject token', () => {
    it.each([
      ['a tampered token', async () => `${adminToken.slice(0, -8)}AAAAAAAA`],
      ['not a JWT', async () => 'opaque-token'],
      [
        "a user-web token (another API's audience)",
        async () => (await auth.signIn('ada@example.com', password, { clientId: 'user-web' })).access_token,
      ],
      ["admin-api's own client-credentials token (names no user)", () => auth.adminApiToken()],
      [
        'the admin-web token of a user without the admin role',
        async () => {
          await auth.createUser({ email: 'uma@example.com', password, roles: ['user'] });
          return (await auth.signIn('uma@example.com', password, { clientId: 'admin-web' })).access_token;
        },
      ],
    ])('%s', async (_name, subject) => {
      const { status, body } = await exchange(await subject());
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_grant');
    });

    it('a token deny-listed at sign-out', async () => {
      const token = (await auth.signIn('ada@example.com', password, { clientId: 'admin-web' })).access_token;
      const { jti, sub } = decodeJwt(token);
      await auth.service.revocation.denyJti(sub!, jti!, 300);
      const { status, body } = await exchange(token);
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_grant');
    });

    it('another subject_token_type, or an actor_token beside it', async () => {
      const idToken = await exchange(adminToken, {
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      });
      expect(idToken.body.error).toBe('invalid_request');
      const withActor = await exchange(adminToken, {
        actor_token: await auth.adminApiToken(),
        actor_token_type: ACCESS_TOKEN_TYPE,
      });
      expect(withActor.body.error).toBe('invalid_request');
    });
  });

  describe('refuses a wrong audience', () => {
    it.each([
      ['the user-api resource', { resource: 'http://localhost:8001' }],
      ['an unknown resource', { resource: 'https://evil.example/api' }],
      ['an audience other than the internal API', { audience: 'admin-api' }],
    ])('%s', async (_name, extra) => {
      const { status, body } = await exchange(adminToken, extra);
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_target');
    });

    it('a scope beyond the internal API’s', async () => {
      const { body } = await exchange(adminToken, { scope: 'users:manage openid' });
      expect(body.error).toBe('invalid_scope');
    });
  });

  describe('refuses a wrong actor', () => {
    it.each(['user-api', 'user-web'] as const)('%s exchanging the admin token', async (client) => {
      const { status, body } = await exchange(adminToken, {}, client);
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: expect.stringMatching(/^(invalid_request|unauthorized_client)$/) });
      expect(body.access_token).toBeUndefined();
    });

    it('at the internal API, a token (signed by the provider) whose act names another client', async () => {
      const { signing } = auth.service.host.keys;
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({
        client_id: 'admin-api',
        scope: 'users:manage',
        act: { sub: 'user-api' },
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: signing.kid })
        .setIssuer(auth.issuer)
        .setSubject(admin.id)
        .setAudience('auth-internal')
        .setJti('forged-1')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(await importJWK(signing.privateJwk, 'RS256'));
      const res = await internal('/users', forged);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    });
  });
});
