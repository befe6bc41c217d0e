import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

describe('authorization code flow over HTTP', () => {
  let auth: TestAuthService;
  beforeAll(async () => {
    auth = await startAuthService();
    await auth.createUser({
      email: 'ada@example.com',
      password: 'correct horse',
      name: 'Ada',
      roles: ['user'],
    });
  });
  afterAll(() => auth.close());

  it('publishes discovery with PKCE S256, JWKS, revocation, introspection and logout endpoints', async () => {
    const response = await fetch(`${auth.url}/.well-known/openid-configuration`);
    const discovery = await response.json();
    expect(discovery.issuer).toBe(auth.issuer);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.response_types_supported).toEqual(['code']);
    expect(discovery.jwks_uri).toBe(`${auth.issuer}/jwks`);
    expect(discovery.revocation_endpoint).toBeDefined();
    expect(discovery.introspection_endpoint).toBeDefined();
    expect(discovery.end_session_endpoint).toBeDefined();
    expect(discovery.backchannel_logout_supported).toBe(true);
  });

  it('issues an RS256 at+jwt access token for user-api that jose verifies as SPEC §6 prescribes', async () => {
    const tokens = await auth.signIn('ada@example.com', 'correct horse');
    const jwks = createRemoteJWKSet(new URL(`${auth.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      algorithms: ['RS256'],
      issuer: auth.issuer,
      audience: 'user-api',
      typ: 'at+jwt',
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clockTolerance: 5,
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload.aud).toBe('user-api');
    expect(payload.client_id).toBe('user-web');
    expect(payload.roles).toEqual(['user']);
    expect(payload.sid).toEqual(expect.any(String));
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const idToken = decodeJwt(tokens.id_token!);
    expect(idToken).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      roles: ['user'],
      aud: 'user-web',
    });
  });

  it('puts the granted scope in the access token (SPEC §3), at sign-in and after a refresh', async () => {
    const tokens = await auth.signIn('ada@example.com', 'correct horse');
    expect(decodeJwt(tokens.access_token).scope).toBe('api');
    const refreshed = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token!).scope).toBe('api');
    const admin = await auth.signIn('ada@example.com', 'correct horse', { clientId: 'admin-web' });
    expect(decodeJwt(admin.access_token).scope).toBe('api');
    // admin-api's client-credentials token keeps the scope it asked for.
    expect(decodeJwt(await auth.adminApiToken()).scope).toBe('users:manage');
  });

  it('gives admin-web a token whose single audience is admin-api', async () => {
    const tokens = await auth.signIn('ada@example.com', 'correct horse', { clientId: 'admin-web' });
    expect(decodeJwt(tokens.access_token).aud).toBe('admin-api');
  });

  it('refuses a resource the client may not use', async () => {
    await expect(
      auth.signIn('ada@example.com', 'correct horse', { resource: auth.config.resources.adminApi }),
    ).rejects.toThrow(/invalid_target/);
  });

  it('requires PKCE', async () => {
    const pushed = await auth.pushAuthorization('user-web', {
      response_type: 'code',
      redirect_uri: 'http://localhost:3002/api/auth/callback',
      scope: 'openid',
      state: 'abc',
    });
    expect(pushed.ok).toBe(false);
    if (pushed.ok) return;
    expect(pushed.status).toBe(400);
    expect(pushed.body.error).toBe('invalid_request');
    expect(String(pushed.body.error_description)).toMatch(/PKCE/);
  });

  it('requires the BFF clients to push their authorization requests (PAR)', async () => {
    const url = new URL('/auth', auth.issuer);
    url.search = new URLSearchParams({
      client_id: 'user-web',
      response_type: 'code',
      redirect_uri: 'http://localhost:3002/api/auth/callback',
      scope: 'openid',
      state: 'abc',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/Pushed Authorization Request/i);
    // The same parameters pushed first are accepted.
    const pushed = await auth.authorizeUrl('user-web', Object.fromEntries(url.searchParams));
    expect((await fetch(pushed, { redirect: 'manual' })).headers.get('location')).toMatch(/\/interaction\//);
  });

  it('gives single sign-on: a second client signs in through the same browser without the form', async () => {
    const first = await auth.signInOverHttp({
      clientId: 'user-web',
      email: 'ada@example.com',
      password: 'correct horse',
    });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = await auth.signInOverHttp({
      clientId: 'admin-web',
      email: 'nobody@example.com',
      password: 'wrong',
      jar: first.jar,
    });
    expect(second.ok).toBe(true);
    if (second.ok)
      expect(decodeJwt(second.tokens.access_token).sub).toBe(decodeJwt(first.tokens.access_token).sub);
  });
});
