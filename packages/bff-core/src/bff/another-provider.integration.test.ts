import { createRevocationStore } from '@bff-auth/revocation';
import { listen } from '@bff-auth/service-kit/http';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { type AuthEnv, accessTokenAuth, createTokenVerifier } from '@bff-auth/token-verifier';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, get, PROFILE_GET_ROUTE, TEST_PASSWORDS } from '../testing/bff-fixture';
import { type KeycloakLikeProvider, startKeycloakLikeProvider } from '../testing/keycloak-like-provider';
import { sessionCookieOf, signInAtProvider } from '../testing/provider-sign-in';
import type { BffOptions } from './config';
import { type Bff, createBff } from './create-bff';

// SPEC §13 "any provider by configuration": bff-core and the APIs' token verifier against a second
// provider shaped like Keycloak (testing/keycloak-like-provider.ts), over real HTTP and a real Redis.
// Nothing of our auth service is running, so nothing writes the "revocation restored" marker either.

const PASSWORD = 'kc-password-123';
const KEYCLOAK_SETTINGS = {
  scope: 'openid email profile offline_access',
  rolesClaim: 'realm_access.roles',
  requireRestored: false,
} satisfies Partial<BffOptions>;

let kc: KeycloakLikeProvider;
let t: TestRedis;
let api: Awaited<ReturnType<typeof listen>>;
const bffs: Bff[] = [];
/** What the API saw of each request it accepted. */
const seenByApi: { token: string; userId: string; roles: string[]; clientId: string }[] = [];

function makeBff(overrides: Partial<BffOptions> = {}): Bff {
  const bff = createBff({
    appOrigin: APP_ORIGIN,
    issuer: kc.issuer,
    clientId: kc.clientId,
    clientSecret: kc.clientSecret,
    ...KEYCLOAK_SETTINGS,
    session: { passwords: TEST_PASSWORDS },
    redis: t.redis,
    channelPrefix: t.prefix,
    upstreams: { 'user-api': { url: api.url } },
    routes: {
      'profile.get': PROFILE_GET_ROUTE,
    },
    ...overrides,
  });
  bffs.push(bff);
  return bff;
}

/** Like a browser: login → the provider's form → POST credentials → callback. */
const signIn = async (bff: Bff, email: string): Promise<Response> =>
  (await signInAtProvider(bff, { providerUrl: kc.issuer, email, password: PASSWORD })).callback;

beforeAll(async () => {
  kc = await startKeycloakLikeProvider({ appOrigin: APP_ORIGIN });
  t = await createTestRedis('bff-another-provider');
  await t.redis.del('revocation:restored');
  // The API side: the shared verifier configured for this provider's tokens, as user-api would be by
  // ACCESS_TOKEN_TYPES=JWT, ACCESS_TOKEN_SINGLE_AUDIENCE=false, AUTH_ROLES_CLAIM=realm_access.roles.
  const verifier = createTokenVerifier({
    issuer: kc.issuer,
    audience: kc.apiAudience,
    jwksUrl: `${kc.issuer}/jwks`,
    revocation: createRevocationStore({ redis: t.redis, channelPrefix: t.prefix, requireRestored: false }),
    accessTokens: { types: ['JWT'], singleAudience: false, rolesClaim: 'realm_access.roles' },
  });
  const app = new Hono<AuthEnv>();
  app.use('/api/*', accessTokenAuth(verifier));
  app.get('/api/v1/profiles/me', (c) => {
    const { userId, roles, clientId } = c.var.auth;
    seenByApi.push({ token: c.req.header('authorization')!.slice(7), userId, roles, clientId });
    return c.json({ status: 'success', data: { userId, roles } });
  });
  api = await listen(app, { port: 0 });
});

afterAll(async () => {
  for (const bff of bffs) await bff.close();
  await api?.close();
  await kc?.close();
  await t?.cleanup();
});

describe('another provider, shaped like Keycloak, by configuration alone', () => {
  it('signs in: roles from realm_access.roles, a refresh token through offline_access, the API takes its typ JWT token', async () => {
    const bff = makeBff();
    const kim = kc.addUser({
      email: 'kim@example.com',
      password: PASSWORD,
      name: 'Kim',
      roles: ['user', 'editor'],
    });
    const callback = await signIn(bff, kim.email);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(`${APP_ORIGIN}/profile`);
    const cookie = sessionCookieOf(callback);
    const info = await (await bff.handleSession(get('/api/auth/session', cookie))).json();
    expect(info).toMatchObject({
      authenticated: true,
      user: { id: kim.id, email: kim.email, name: 'Kim', roles: ['user', 'editor'] },
    });
    const { data } = (await bff.context.sessions.read(get('/', cookie)))!;
    expect(data.rt).toEqual(expect.any(String));
    // A provider without DPoP: no session key, plain Bearer tokens upstream.
    expect(data.dk).toBeUndefined();

    const proxied = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(proxied.status).toBe(200);
    expect((await proxied.json()).data).toEqual({ userId: kim.id, roles: ['user', 'editor'] });
    expect(seenByApi.at(-1)).toMatchObject({ token: data.at, clientId: kc.clientId });
  });

  it('refreshes with the rotated refresh token, and the refreshed session proxies with the new token', async () => {
    const bff = makeBff();
    const ray = kc.addUser({ email: 'ray@example.com', password: PASSWORD, name: 'Ray', roles: ['user'] });
    const cookie = sessionCookieOf(await signIn(bff, ray.email));
    const before = (await bff.context.sessions.read(get('/', cookie)))!.data;
    // A BFF that deems every token due (the skew exceeds its 300 s life) refreshes on the next request.
    const eager = makeBff({ refresh: { skewSeconds: 3600 } });
    const refreshesBefore = kc.grants.refresh_token ?? 0;
    const refreshed = await eager.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(refreshed.status).toBe(200);
    expect(kc.grants.refresh_token).toBe(refreshesBefore + 1);
    expect(seenByApi.at(-1)!.token).not.toBe(before.at);
    const next = sessionCookieOf(refreshed);
    const after = (await bff.context.sessions.read(get('/', next)))!.data;
    expect(after.rt).toEqual(expect.any(String));
    expect(after.rt).not.toBe(before.rt);
    // The new session works where no refresh is due; the old refresh token is spent.
    expect((await bff.handleProxy(get('/api/profile', next), 'profile.get')).status).toBe(200);
    await expect(bff.context.oidc.refresh(before.rt!)).rejects.toMatchObject({ code: 'session_expired' });
  });

  it('signs out: refresh token revoked at the provider, access token refused by the API, cookie cleared', async () => {
    const bff = makeBff();
    const sue = kc.addUser({ email: 'sue@example.com', password: PASSWORD, name: 'Sue', roles: ['user'] });
    const cookie = sessionCookieOf(await signIn(bff, sue.email));
    const { data } = (await bff.context.sessions.read(get('/', cookie)))!;
    const logout = await bff.handleLogout(
      new Request(`${APP_ORIGIN}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf': '1', origin: APP_ORIGIN },
      }),
    );
    expect(logout.status).toBe(200);
    expect(logout.headers.get('set-cookie')).toMatch(/^__Host-user-session=; .*Max-Age=0/);
    // RP-initiated logout at the provider's end-session endpoint; it offers no logout hint, so no
    // token of any kind is in the URL and the provider asks the person to confirm.
    const redirectTo = new URL((await logout.json()).data.redirectTo);
    expect(redirectTo.origin).toBe(kc.issuer);
    expect(redirectTo.searchParams.get('client_id')).toBe(kc.clientId);
    expect(redirectTo.href).not.toMatch(/eyJ|logout_hint|id_token_hint/);
    await expect(bff.context.oidc.refresh(data.rt!)).rejects.toMatchObject({ code: 'session_expired' });
    const direct = await fetch(`${api.url}/api/v1/profiles/me`, {
      headers: { authorization: `Bearer ${data.at}` },
    });
    expect(direct.status).toBe(401);
    expect((await direct.json()).error.code).toBe('token_revoked');
  });

  it('admits to the admin app only users with admin under realm_access.roles', async () => {
    const admin = makeBff({ app: 'admin', requiredRole: 'admin' });
    const ada = kc.addUser({
      email: 'ada@example.com',
      password: PASSWORD,
      name: 'Ada',
      roles: ['user', 'admin'],
    });
    const uma = kc.addUser({ email: 'uma@example.com', password: PASSWORD, name: 'Uma', roles: ['user'] });

    const refused = await signIn(admin, uma.email);
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie().some((c) => /^__Host-admin-session=[^;]/.test(c))).toBe(false);

    // 200: the admin app's Strict cookie ends the sign-in with a same-site hop page, not a redirect.
    const admitted = await signIn(admin, ada.email);
    expect(admitted.status).toBe(200);
    const cookie = sessionCookieOf(admitted, '__Host-admin-session');
    const lookup = await admin.requireSession(get('/api/auth/session', cookie));
    expect(lookup.user?.roles).toEqual(['user', 'admin']);

    // Read at the default path (`roles`), the same admin has no roles: the setting is what admits her.
    const unconfigured = makeBff({ app: 'admin', requiredRole: 'admin', rolesClaim: 'roles' });
    const unadmitted = await signIn(unconfigured, ada.email);
    expect(unadmitted.status).toBe(403);
    expect(unadmitted.headers.getSetCookie().some((c) => /^__Host-admin-session=[^;]/.test(c))).toBe(false);
  });

  it('fails closed while the restored marker is missing, unless told no auth service writes it', async () => {
    const strict = makeBff({ requireRestored: true });
    const lax = makeBff();
    const max = kc.addUser({ email: 'max@example.com', password: PASSWORD, name: 'Max', roles: ['user'] });
    const cookie = sessionCookieOf(await signIn(lax, max.email));
    expect((await lax.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(200);
    expect((await strict.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(503);
  });
});
