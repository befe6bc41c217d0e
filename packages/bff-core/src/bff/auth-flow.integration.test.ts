import { createRedis } from '@bff-auth/service-kit/redis';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_ORIGIN, cookiePair, createTestBff, get, signedInCookie } from '../testing/bff-fixture';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';

let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;

beforeAll(async () => {
  t = await createTestRedis('bff-auth-flow');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  api = await startTestServer();
  bff = createTestBff(issuer, t.redis, api.url);
});
afterEach(async () => {
  await bff.close();
  await api.close();
  await issuer.close();
});

const JSON_ACCEPT = { accept: 'application/json' };

/** Drives login → provider → callback and returns the callback's response. */
async function signIn(target: Bff, returnTo = '/profile', headers: Record<string, string> = {}) {
  const login = await target.handleLogin(get(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`));
  const tx = cookiePair(login.headers.get('set-cookie')!);
  const authorize = await fetch(login.headers.get('location')!, { redirect: 'manual' });
  return {
    login,
    tx,
    callback: await target.handleCallback(
      get(
        new URL(authorize.headers.get('location')!).pathname +
          new URL(authorize.headers.get('location')!).search,
        tx,
        headers,
      ),
    ),
  };
}

describe('sign-in', () => {
  it('redirects to the provider with PKCE S256, state, nonce and a sealed transaction cookie', async () => {
    const res = await bff.handleLogin(get('/api/auth/login?returnTo=/profile'));
    expect(res.status).toBe(303);
    const url = new URL(res.headers.get('location')!);
    expect(url.origin + url.pathname).toBe(`${issuer.issuer}/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${APP_ORIGIN}/api/auth/callback`);
    const tx = res.headers.get('set-cookie')!;
    // One cookie per state, so sign-ins in several tabs do not overwrite each other.
    expect(tx).toMatch(new RegExp(`^__Host-user-session-tx\\.${url.searchParams.get('state')}=Fe26\\.2\\*`));
    expect(tx).toContain('HttpOnly; Secure; SameSite=Lax; Max-Age=900');
    expect(tx).not.toContain('/profile');
  });

  it('passes a step-up (max_age, acr_values) on to the provider only when the app allows those acr values', async () => {
    const acr = 'urn:example:acr:two-step';
    const stepUp = `/api/auth/login?returnTo=/users&max_age=600&acr_values=${encodeURIComponent(`${acr} urn:other`)}`;
    const paramsOf = async (target: Bff, path: string) =>
      new URL((await target.handleLogin(get(path))).headers.get('location')!).searchParams;

    const plain = await paramsOf(bff, stepUp);
    expect(plain.get('max_age')).toBeNull();
    expect(plain.get('acr_values')).toBeNull();

    const allowing = createTestBff(issuer, t.redis, api.url, { stepUp: { acrValues: [acr] } });
    try {
      const asked = await paramsOf(allowing, stepUp);
      expect(asked.get('max_age')).toBe('600');
      expect(asked.get('acr_values')).toBe(acr);
      // Anything else is dropped, not passed on: a negative or huge max_age, unknown acr values.
      for (const bad of ['-1', '1e3', '86401', 'abc']) {
        const params = await paramsOf(allowing, `/api/auth/login?max_age=${bad}&acr_values=urn:other`);
        expect(params.get('max_age')).toBeNull();
        expect(params.get('acr_values')).toBeNull();
      }
    } finally {
      await allowing.close();
    }
  });

  it('completes the callback: session cookie set, transaction marked used, redirect to returnTo', async () => {
    const { callback, tx } = await signIn(bff, '/profile?tab=1');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(`${APP_ORIGIN}/profile?tab=1`);
    const cookies = callback.headers.getSetCookie();
    // The state's cookie now only says "used" (no verifier) for a few minutes.
    expect(cookies[0]).toMatch(
      new RegExp(`^${tx.split('=')[0]!.replace(/\./g, '\\.')}=Fe26\\.2\\*.*Max-Age=300$`),
    );
    expect(cookies[0]).not.toBe(tx);
    expect(cookies[1]).toMatch(
      /^__Host-user-session=Fe26\.2\*.*; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=\d+$/,
    );
    expect(cookies[1]).not.toMatch(/domain=/i);
    expect(cookies[1]).not.toContain('eyJ');
    const info = await (await bff.handleSession(get('/api/auth/session', cookiePair(cookies[1]!)))).json();
    expect(info).toMatchObject({
      authenticated: true,
      user: { id: 'fake-user', email: 'fake-user@example.com', name: 'User fake-user', roles: ['user'] },
    });
    expect(JSON.stringify(info)).not.toContain('eyJ');
    expect(Date.parse(info.expiresAt)).toBeGreaterThan(Date.now());
  });

  it.each(['//evil.com', '/\\evil.com', 'https:evil.com', '/%2F%2Fevil.com'])(
    'sends returnTo %j to /',
    async (payload) => {
      const { callback } = await signIn(bff, payload);
      expect(callback.headers.get('location')).toBe(`${APP_ORIGIN}/`);
    },
  );

  it('refuses a callback without the transaction cookie or with a forged state (400, no session)', async () => {
    const noTx = await bff.handleCallback(get('/api/auth/callback?code=x&state=y', undefined, JSON_ACCEPT));
    expect(noTx.status).toBe(400);
    expect((await noTx.json()).error.code).toBe('login_failed');
    const login = await bff.handleLogin(get('/api/auth/login'));
    const tx = cookiePair(login.headers.get('set-cookie')!);
    const forged = await bff.handleCallback(get('/api/auth/callback?code=x&state=forged', tx, JSON_ACCEPT));
    expect(forged.status).toBe(400);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('__Host-user-session='))).toBe(false);
  });

  it('refuses a sign-in on a provider session already signed out (revoked sid): no session, refresh token revoked', async () => {
    // A sign-in that raced the end-session in another tab can come back on the ended session; the BFF
    // would otherwise keep a session every page refuses, and send the browser round in circles.
    issuer.sessionId = 'ended-sso-session';
    await bff.context.revocation.revokeSession('fake-user', 'ended-sso-session');
    const { callback } = await signIn(bff, '/profile', JSON_ACCEPT);
    expect(callback.status).toBe(400);
    expect((await callback.json()).error.code).toBe('login_failed');
    expect(callback.headers.getSetCookie().some((c) => /^__Host-user-session=Fe26/.test(c))).toBe(false);
    expect(issuer.revoked).toContain(issuer.latestRefreshToken);

    issuer.sessionId = 'a-live-sso-session';
    const again = await signIn(bff, '/profile', JSON_ACCEPT);
    expect(again.callback.status).toBe(303);
  });

  it('gives a user without the required role 403 and keeps no session (admin app)', async () => {
    const admin = createTestBff(issuer, t.redis, api.url, {
      app: 'admin',
      appOrigin: 'http://localhost:3003',
      requiredRole: 'admin',
    });
    try {
      const { callback } = await signIn(admin, '/profile', JSON_ACCEPT);
      expect(callback.status).toBe(403);
      expect((await callback.json()).error.code).toBe('forbidden');
      const cookies = callback.headers.getSetCookie();
      expect(cookies.some((c) => /^__Host-admin-session=Fe26/.test(c))).toBe(false);
      expect(cookies).toContainEqual(
        expect.stringMatching(/^__Host-admin-session=; .*SameSite=Strict; Max-Age=0/),
      );
      expect(issuer.revoked).toHaveLength(1);
      issuer.roles = ['user', 'admin'];
      const ok = await signIn(admin, '/users?q=a"b');
      expect(ok.callback.headers.getSetCookie()[1]).toMatch(/^__Host-admin-session=Fe26.*SameSite=Strict/);
      // A Strict cookie would not ride a redirect chain that began on the provider's site: the callback
      // answers a page that navigates on from our own site instead of a 303.
      expect(ok.callback.status).toBe(200);
      expect(ok.callback.headers.get('location')).toBeNull();
      const page = await ok.callback.text();
      expect(page).toContain(
        '<meta http-equiv="refresh" content="0;url=http://localhost:3003/users?q=a%22b">',
      );
      expect(ok.callback.headers.get('content-security-policy')).toContain("default-src 'none'");
    } finally {
      await admin.close();
    }
  });
});

describe('session info and pages', () => {
  it('answers anonymous for no cookie and for a tampered one, never a 500', async () => {
    for (const cookie of [undefined, '__Host-user-session=Fe26.2*1*abc*def~2', '__Host-user-session=%%%']) {
      const res = await bff.handleSession(get('/api/auth/session', cookie));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ authenticated: false, user: null, expiresAt: null });
    }
  });

  it('getSession returns the user and no token; requireSession throws 401 without a session', async () => {
    const cookie = await signedInCookie(bff, issuer, 'u-42');
    const lookup = await bff.getSession(get('/', cookie));
    expect(lookup.user).toMatchObject({ id: 'u-42', email: 'u-42@example.com' });
    expect(JSON.stringify(lookup)).not.toContain('eyJ');
    await expect(bff.requireSession(get('/'))).rejects.toMatchObject({ status: 401 });
  });
});

describe('sign-out', () => {
  it('revokes the refresh token, deny-lists the jti, clears the cookie and returns an end-session URL without the ID token', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const before = await bff.context.sessions.read(get('/', cookie));
    const res = await bff.handleLogout(
      new Request(`${APP_ORIGIN}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf': '1', origin: APP_ORIGIN },
      }),
    );
    expect(res.status).toBe(200);
    const { data } = await res.json();
    const end = new URL(data.redirectTo);
    expect(end.pathname).toBe('/session/end');
    // No JWT on the way out (SPEC §4.4); this provider offers no logout_hint_endpoint, so no hint either.
    expect(end.searchParams.get('id_token_hint')).toBeNull();
    expect(JSON.stringify(data)).not.toContain(before!.data.idt);
    expect(end.searchParams.get('client_id')).toBe('test-web');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${APP_ORIGIN}/`);
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-user-session=; .*Max-Age=0/);
    expect(issuer.revoked).toEqual([before!.data.rt]);
    // The same cookie replayed (a stolen copy) no longer works.
    const replay = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(replay.status).toBe(401);
  });

  it('holds on a second BFF instance: a session works on both, a sign-out on one ends it on the other', async () => {
    const other = createTestBff(issuer, t.redis, api.url);
    try {
      const cookie = await signedInCookie(bff, issuer);
      expect((await other.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(200);
      const out = await bff.handleLogout(
        new Request(`${APP_ORIGIN}/api/auth/logout`, {
          method: 'POST',
          headers: { cookie, 'x-csrf': '1', origin: APP_ORIGIN },
        }),
      );
      expect(out.status).toBe(200);
      expect((await other.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(401);
      expect((await (await other.handleSession(get('/api/auth/session', cookie))).json()).authenticated).toBe(
        false,
      );
    } finally {
      await other.close();
    }
  });

  const logout = (target: Bff, cookie: string) =>
    target.handleLogout(
      new Request(`${APP_ORIGIN}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf': '1', origin: APP_ORIGIN },
      }),
    );

  it('with the provider unreachable: 200, the session dead at once, and the provider part done once it is back', async () => {
    const cookie = await signedInCookie(bff, issuer, 'u-down');
    const { data } = (await bff.context.sessions.read(get('/', cookie)))!;
    issuer.mode = 'down';
    const res = await logout(bff, cookie);
    expect(res.status).toBe(200);
    // Not to the provider's end-session page, which would not load: straight back to the app.
    expect((await res.json()).data.redirectTo).toBe(`${APP_ORIGIN}/`);
    // Dead at once by its sid, so a copy of the cookie cannot refresh its way back once the provider returns.
    const status = await bff.context.revocation.inspect({
      userId: 'u-down',
      sid: data.sid,
      issuedAt: data.cat,
    });
    expect(status.reason).not.toBeNull();
    expect((await bff.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(401);
    expect(await bff.context.pendingSignOuts.size()).toBe(1);

    // Still down: the job stays queued for later.
    await t.redis.zadd(
      `bff:test-web:sign-outs-pending`,
      'XX',
      0,
      (await t.redis.zrange('bff:test-web:sign-outs-pending', 0, -1))[0]!,
    );
    expect(await bff.context.pendingSignOuts.runDue()).toBe(0);
    expect(await bff.context.pendingSignOuts.size()).toBe(1);

    issuer.mode = 'ok';
    const [job] = await t.redis.zrange('bff:test-web:sign-outs-pending', 0, -1);
    expect(job).not.toContain(data.rt!);
    await t.redis.zadd('bff:test-web:sign-outs-pending', 'XX', 0, job!);
    expect(await bff.context.pendingSignOuts.runDue()).toBe(1);
    expect(issuer.revoked).toEqual([data.rt]);
    expect(issuer.endedSessions).toEqual([data.idt]);
    expect(await bff.context.pendingSignOuts.size()).toBe(0);
  });

  it('with neither the provider nor Redis reachable: 503 and the cookie kept, so the person can try again', async () => {
    const deadRedis = createRedis({ url: 'redis://127.0.0.1:1', failFast: true });
    const isolated = createTestBff(issuer, deadRedis, api.url);
    try {
      const cookie = await signedInCookie(bff, issuer, 'u-nothing');
      issuer.mode = 'down';
      const res = await logout(isolated, cookie);
      expect(res.status).toBe(503);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('__Host-user-session='))).toBe(false);
    } finally {
      await isolated.close();
      deadRedis.disconnect();
    }
  });

  it('refuses a sign-out without X-CSRF (403)', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const res = await bff.handleLogout(
      new Request(`${APP_ORIGIN}/api/auth/logout`, { method: 'POST', headers: { cookie } }),
    );
    expect(res.status).toBe(403);
    expect(issuer.revoked).toHaveLength(0);
  });
});

describe('configuration', () => {
  it('names the package and the bad options', () => {
    expect(() =>
      createTestBff(issuer, t.redis, api.url, {
        appOrigin: 'not a url',
        session: { passwords: { 1: 'short' } },
      }),
    ).toThrow(/@bff-auth\/bff-core: .*option "appOrigin"/s);
    expect(() => createTestBff(issuer, t.redis, api.url, { session: { passwords: { 1: 'short' } } })).toThrow(
      /@bff-auth\/bff-core: session\.passwords\[1\]/,
    );
    expect(() =>
      createTestBff(issuer, t.redis, api.url, {
        routes: { x: { method: 'GET', path: '/a/:id', upstream: 'nope', upstreamPath: '/b/:id' } },
      }),
    ).toThrow(/routes\.x\.upstream/);
  });
});
