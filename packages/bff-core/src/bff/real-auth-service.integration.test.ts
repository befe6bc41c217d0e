import { request as httpRequest, type IncomingMessage } from 'node:http';
import { startAuthService, type TestAuthService } from '@bff-auth/auth-service/testing';
import { createTestRedis, freePort } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_ORIGIN, cookiePair, get, PROFILE_GET_ROUTE } from '../testing/bff-fixture';
import { json, startTestServer, type TestServer } from '../testing/http-server';
import { createUserWebBff, signInAtProvider } from '../testing/provider-sign-in';
import type { BffOptions } from './config';
import type { Bff } from './create-bff';

// End to end against the real auth service (oidc-provider) started by its test harness.
let auth: TestAuthService;
let api: TestServer;
let bff: Bff;
const PASSWORD = 'correct horse battery staple';

function makeBff(overrides: Partial<BffOptions> = {}): Bff {
  return createUserWebBff(auth, {
    upstreams: { 'user-api': { url: api.url } },
    routes: {
      'profile.get': PROFILE_GET_ROUTE,
    },
    ...overrides,
  });
}

/** Drives the sign-in like a browser: login → provider form → POST credentials → callback. */
async function signIn(email: string, returnTo = '/profile'): Promise<Response> {
  const { callback } = await signInAtProvider(bff, {
    providerUrl: auth.url,
    email,
    password: PASSWORD,
    returnTo,
    onForm: (page) => {
      expect(page).toMatch(/<label[^>]*>\s*Email/);
      expect(page).toMatch(/<label[^>]*>\s*Password/);
      expect(page).toMatch(/Sign in/);
    },
  });
  return callback;
}

const bearerSeen = () => api.received.map((r) => r.headers.authorization);

beforeAll(async () => {
  api = await startTestServer((_r, res) => json(res, 200, { status: 'success', data: { ok: true } }));
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  api.received.length = 0;
});
afterEach(async () => {
  await bff?.close();
  await auth?.close();
});

describe('with the real auth service', () => {
  it('signs in end to end and seals a session whose cookie holds no readable token', async () => {
    auth = await startAuthService();
    bff = makeBff();
    await auth.createUser({
      email: 'ann@example.com',
      password: PASSWORD,
      name: 'Ann',
      roles: ['user', 'editor'],
    });
    const callback = await signIn('ann@example.com');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(`${APP_ORIGIN}/profile`);
    const sessionCookie = callback.headers.getSetCookie().find((c) => c.startsWith('__Host-user-session='))!;
    expect(sessionCookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=\d+$/);
    expect(sessionCookie).not.toMatch(/domain=/i);
    expect(sessionCookie).not.toContain('eyJ');
    expect(cookiePair(sessionCookie).length).toBeLessThan(4096);
    const info = await (await bff.handleSession(get('/api/auth/session', cookiePair(sessionCookie)))).json();
    expect(info).toMatchObject({
      authenticated: true,
      user: { email: 'ann@example.com', name: 'Ann', roles: ['user', 'editor'] },
    });
    const proxied = await bff.handleProxy(get('/api/profile', cookiePair(sessionCookie)), 'profile.get');
    expect(proxied.status).toBe(200);
    const claims = JSON.parse(Buffer.from(bearerSeen()[0]!.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ aud: 'user-api', sub: info.user.id });
  });

  it('refreshes once for 50 concurrent requests on an about-to-expire token, and the grant survives', async () => {
    auth = await startAuthService({ accessTokenTtl: 30 });
    bff = makeBff();
    await auth.createUser({ email: 'bob@example.com', password: PASSWORD, roles: ['user'] });
    const cookie = cookiePair(
      (await signIn('bob@example.com')).headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-user-session='))!,
    );
    const before = (await bff.context.sessions.read(get('/', cookie)))!.data;
    let refreshGrants = 0;
    auth.service.host.provider.on('grant.success', (ctx) => {
      if (ctx.oidc.params?.grant_type === 'refresh_token') refreshGrants++;
    });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => bff.handleProxy(get('/api/profile', cookie), 'profile.get')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(refreshGrants).toBe(1);
    const tokens = new Set(bearerSeen());
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toBe(`Bearer ${before.at}`);
    const next = cookiePair(responses[0]!.headers.get('set-cookie')!);
    // Had the old refresh token been presented twice, the provider would have revoked the grant.
    const again = await bff.handleProxy(get('/api/profile', next), 'profile.get');
    expect(again.status).toBe(200);
  });

  it('picks up a role change on the very next request, with one refresh', async () => {
    auth = await startAuthService();
    bff = makeBff();
    const user = await auth.createUser({ email: 'rolf@example.com', password: PASSWORD, roles: ['user'] });
    const cookie = cookiePair(
      (await signIn('rolf@example.com')).headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-user-session='))!,
    );
    const session = async (c: string) => (await bff.handleSession(get('/api/auth/session', c))).json();
    expect((await session(cookie)).user.roles).toEqual(['user']);

    // What the internal API does on a role change: new roles in authdb, the Redis key, the event.
    await auth.service.users.update(user.id, { roles: ['user', 'editor'] });
    await auth.service.revocation.markRolesChanged(user.id);

    const changed = await bff.handleSession(get('/api/auth/session', cookie));
    expect((await changed.json()).user.roles).toEqual(['user', 'editor']);
    const next = cookiePair(changed.headers.getSetCookie()[0]!);
    // The refreshed session records the change it applied: no second refresh for the same change.
    const steady = await bff.handleSession(get('/api/auth/session', next));
    expect(steady.headers.getSetCookie()).toEqual([]);
    expect((await steady.json()).user.roles).toEqual(['user', 'editor']);
  });

  it('ends the session with 401 session_expired when the provider rejects the refresh', async () => {
    auth = await startAuthService({ accessTokenTtl: 30 });
    bff = makeBff();
    await auth.createUser({ email: 'cy@example.com', password: PASSWORD, roles: ['user'] });
    const cookie = cookiePair(
      (await signIn('cy@example.com')).headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-user-session='))!,
    );
    const { data } = (await bff.context.sessions.read(get('/', cookie)))!;
    await bff.context.oidc.revoke(data.rt!, 'refresh_token');
    const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('session_expired');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-user-session=; .*Max-Age=0/);
  });

  it('answers 503 and keeps the session while the auth service is down', async () => {
    auth = await startAuthService({ accessTokenTtl: 30 });
    bff = makeBff();
    await auth.createUser({ email: 'di@example.com', password: PASSWORD, roles: ['user'] });
    const cookie = cookiePair(
      (await signIn('di@example.com')).headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-user-session='))!,
    );
    const redis = auth.redis;
    await auth.close({ keepState: true });
    const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('auth_unavailable');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(api.received).toHaveLength(0);
    await redis.cleanup();
    auth = undefined as unknown as TestAuthService;
  });

  it('completes a sign-out made while the auth service was down once it is back: refresh token and provider session gone', async () => {
    const redis = await createTestRedis('bff-late-sign-out');
    auth = await startAuthService({ redis });
    const port = Number(new URL(auth.issuer).port);
    bff = makeBff({ redis: redis.redis });
    await auth.createUser({ email: 'late@example.com', password: PASSWORD, roles: ['user'] });
    const cookie = cookiePair(
      (await signIn('late@example.com')).headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-user-session='))!,
    );
    const { data } = (await bff.context.sessions.read(get('/', cookie)))!;
    const db = auth.db;
    await auth.close({ keepState: true });

    const out = await bff.handleLogout(
      new Request(`${APP_ORIGIN}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf': '1', origin: APP_ORIGIN },
      }),
    );
    expect(out.status).toBe(200);
    expect((await bff.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(401);

    auth = await startAuthService({ redis, db, port });
    await redis.redis.zadd(
      'bff:user-web:sign-outs-pending',
      'XX',
      0,
      (await redis.redis.zrange('bff:user-web:sign-outs-pending', 0, -1))[0]!,
    );
    expect(await bff.context.pendingSignOuts.runDue()).toBe(1);
    const refresh = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: data.rt!,
    });
    expect(refresh.status).toBe(400);
    // The provider session is gone too, and its sid is on the durable record.
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM revocations WHERE kind = 'sid' AND subject = $1",
      [JSON.stringify([data.uid, data.sid])],
    );
    expect(rows[0]?.n).toBe(1);
    await auth.close({ keepState: true });
    await (db as typeof db & { cleanup(): Promise<void> }).cleanup();
    await redis.cleanup();
    auth = undefined as unknown as TestAuthService;
  });

  it('pushes its authorization request (PAR): the browser carries only client_id and a request_uri', async () => {
    auth = await startAuthService();
    bff = makeBff();
    await auth.createUser({ email: 'par@example.com', password: PASSWORD, roles: ['user'] });
    const login = await bff.handleLogin(get('/api/auth/login?returnTo=/profile'));
    const authorize = new URL(login.headers.get('location')!);
    expect([...authorize.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(authorize.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect((await signIn('par@example.com')).status).toBe(303);

    // Opting out sends the parameters in the URL, as before.
    await bff.close();
    bff = makeBff({ authServer: { pushAuthorizationRequests: false } });
    const plain = new URL((await bff.handleLogin(get('/api/auth/login'))).headers.get('location')!);
    expect(plain.searchParams.get('code_challenge_method')).toBe('S256');
    expect(plain.searchParams.has('request_uri')).toBe(false);
  });

  it('keeps the user signed in when the answer to a refresh is lost (the provider rotated, the BFF never heard)', async () => {
    // A proxy in front of the provider that lets the first refresh through but never returns its answer,
    // as a stalled network would: the provider rotates, the BFF gives up at its read deadline.
    const proxyPort = await freePort();
    const proxyIssuer = `http://127.0.0.1:${proxyPort}`;
    auth = await startAuthService({ accessTokenTtl: 30, env: { AUTH_ISSUER: proxyIssuer } });
    let swallowRefresh = false;
    let swallowed = 0;
    const proxy = await startTestServer(async (req, res) => {
      // Forwarded as a reverse proxy would, Host included (the provider's URLs follow its issuer).
      const target = new URL(auth.url);
      const upstream = await new Promise<IncomingMessage>((resolve, reject) =>
        httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          resolve,
        )
          .on('error', reject)
          .end(req.body),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of upstream) chunks.push(chunk as Buffer);
      if (swallowRefresh && req.url === '/token' && req.body.includes('grant_type=refresh_token')) {
        swallowed++;
        return new Promise(() => {}); // never answers; closed with the proxy
      }
      res.writeHead(upstream.statusCode ?? 502, upstream.headers).end(Buffer.concat(chunks));
    }, proxyPort);
    try {
      bff = makeBff({ issuer: proxyIssuer, authServer: { readTimeoutMs: 1000 } });
      await auth.createUser({ email: 'lou@example.com', password: PASSWORD, roles: ['user'] });
      const cookie = cookiePair(
        (await signIn('lou@example.com')).headers
          .getSetCookie()
          .find((c) => c.startsWith('__Host-user-session='))!,
      );

      swallowRefresh = true;
      const lost = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
      expect(swallowed).toBe(1);
      expect(lost.status).toBe(503);
      expect(lost.headers.get('set-cookie')).toBeNull();

      // The browser still holds the cookie with the rotated-away refresh token: it must keep working.
      swallowRefresh = false;
      const retried = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
      expect(retried.status).toBe(200);
      const next = cookiePair(retried.headers.get('set-cookie')!);
      const later = await bff.handleProxy(get('/api/profile', next), 'profile.get');
      expect(later.status).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});
