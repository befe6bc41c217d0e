import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { createTestRedis, startRedisServer, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cookiePair, createTestBff, get, put, signedInCookie } from '../testing/bff-fixture';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { json, startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';

let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;
const others: Bff[] = [];

beforeAll(async () => {
  t = await createTestRedis('bff-proxy');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  api = await startTestServer((r, res) =>
    json(res, 200, { status: 'success', data: { auth: r.headers.authorization } }),
  );
  bff = createTestBff(issuer, t.redis, api.url);
});
afterEach(async () => {
  await bff.close();
  for (const o of others.splice(0)) await o.close();
  await api.close();
  await issuer.close();
});

const bearerOf = (body: { data: { auth: string } }) => body.data.auth.replace('Bearer ', '');

describe('proxy with a session', () => {
  it('adds the access token server side and never returns it', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const res = await bff.handleProxy(
      get('/api/profile', cookie, { authorization: 'Bearer forged' }),
      'profile.get',
    );
    expect(res.status).toBe(200);
    expect(api.received[0]!.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(api.received[0]!.headers.authorization).not.toBe('Bearer forged');
    expect(api.received[0]!.headers.cookie).toBeUndefined();
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers 401 unauthenticated without a session and with a tampered cookie', async () => {
    for (const cookie of [undefined, '__Host-user-session=Fe26.2*1*tampered']) {
      const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthenticated');
    }
    expect(api.received).toHaveLength(0);
  });

  it('refuses a state-changing call without X-CSRF or from a foreign origin with 403', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const missing = await bff.handleProxy(put('/api/profile', cookie, '{}', {}), 'profile.put');
    const foreign = await bff.handleProxy(
      put('/api/profile', cookie, '{}', { 'x-csrf': '1', origin: 'https://evil.com' }),
      'profile.put',
    );
    const crossSite = await bff.handleProxy(
      put('/api/profile', cookie, '{}', { 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }),
      'profile.put',
    );
    for (const res of [missing, foreign, crossSite]) {
      expect(res.status).toBe(403);
      expect((await res.json()).error).toMatchObject({ code: 'csrf_rejected' });
    }
    expect((await bff.handleProxy(put('/api/profile', cookie, '{}'), 'profile.put')).status).toBe(200);
    expect(api.received).toHaveLength(1);
  });

  it('answers 401 session_revoked and clears the cookie once the session id is revoked', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const session = await bff.context.sessions.read(get('/', cookie));
    await bff.context.revocation.revokeSession(session!.data.uid, session!.data.sid!);
    const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('session_revoked');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-user-session=; .*Max-Age=0/);
  });

  it('fails closed with 503 when Redis is down, and recovers', async () => {
    const server = await startRedisServer({ restoredMarker: true });
    const redis = createRedis({ url: server.url, commandTimeoutMs: 200 });
    try {
      await waitForRedis(redis);
      const local = createTestBff(issuer, redis, api.url);
      others.push(local);
      const cookie = await signedInCookie(local, issuer);
      await server.kill();
      const res = await local.handleProxy(get('/api/profile', cookie), 'profile.get');
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe('revocation_unavailable');
      expect(api.received).toHaveLength(0);
      await server.start();
      await expect
        .poll(async () => (await local.handleProxy(get('/api/profile', cookie), 'profile.get')).status, {
          timeout: 5000,
        })
        .toBe(200);
    } finally {
      redis.disconnect();
      await server.kill();
    }
  });
});

describe('transparent refresh', () => {
  it('refreshes once for 50 concurrent requests on an about-to-expire token', async () => {
    issuer.accessTokenTtl = 30;
    const cookie = await signedInCookie(bff, issuer);
    issuer.accessTokenTtl = 300;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => bff.handleProxy(get('/api/profile', cookie), 'profile.get')),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(issuer.refreshCalls).toBe(1);
    expect(issuer.revokedGrants).toBe(0);
    const tokens = new Set(await Promise.all(responses.map(async (r) => bearerOf(await r.json()))));
    expect(tokens.size).toBe(1);
    const fresh = await bff.context.sessions.read(
      get('/', cookiePair(responses[0]!.headers.get('set-cookie')!)),
    );
    expect(fresh!.data.rt).toBe(issuer.latestRefreshToken);
    expect([...tokens][0]).toBe(fresh!.data.at);
  });

  it('refreshes once across two BFF instances sharing Redis, both ending with the newest refresh token', async () => {
    const redis2 = createRedis({ url: t.url, keyPrefix: t.prefix, failFast: false });
    const second = createTestBff(issuer, redis2, api.url);
    others.push(second);
    try {
      issuer.accessTokenTtl = 30;
      const cookie = await signedInCookie(bff, issuer);
      issuer.accessTokenTtl = 300;
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? bff : second).handleProxy(get('/api/profile', cookie), 'profile.get'),
        ),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      expect(issuer.refreshCalls).toBe(1);
      expect(issuer.revokedGrants).toBe(0);
      for (const r of responses) {
        const session = await second.context.sessions.read(
          get('/', cookiePair(r.headers.get('set-cookie')!)),
        );
        expect(session!.data.rt).toBe(issuer.latestRefreshToken);
      }
    } finally {
      redis2.disconnect();
    }
  });

  it('answers 401 session_expired and clears the cookie when the refresh is rejected', async () => {
    issuer.accessTokenTtl = 30;
    const cookie = await signedInCookie(bff, issuer);
    issuer.mode = 'invalid_grant';
    const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('session_expired');
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-user-session=; .*Max-Age=0/);
    expect(api.received).toHaveLength(0);
  });

  it('answers 503 auth_unavailable and keeps the session when the provider is down', async () => {
    issuer.accessTokenTtl = 30;
    const cookie = await signedInCookie(bff, issuer);
    issuer.mode = 'down';
    const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('auth_unavailable');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('retry-after')).toBeTruthy();
    issuer.mode = 'ok';
    expect((await bff.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(200);
  });

  it('keeps working without a refresh while the token is fresh, even with the provider down', async () => {
    const cookie = await signedInCookie(bff, issuer);
    issuer.mode = 'down';
    expect((await bff.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(200);
    expect(issuer.refreshCalls).toBe(0);
  });
});

describe('page renders never rotate tokens (SPEC §4.3)', () => {
  it('readSession reads a session inside the refresh window without refreshing it', async () => {
    issuer.accessTokenTtl = 30;
    const cookie = await signedInCookie(bff, issuer);
    const lookup = await bff.readSession(get('/', cookie));
    expect(lookup).toMatchObject({ authenticated: true, setCookie: [] });
    expect(lookup.user?.id).toBeTruthy();
    expect(issuer.refreshCalls).toBe(0);
    // The refresh token in the cookie is still the live one: the next writable request rotates it.
    const res = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(res.status).toBe(200);
    expect(issuer.refreshCalls).toBe(1);
    expect(issuer.revokedGrants).toBe(0);
  });

  it('readSession still refuses a revoked session', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const session = await bff.context.sessions.read(get('/', cookie));
    await bff.context.revocation.revokeSession(session!.data.uid, session!.data.sid!);
    expect(await bff.readSession(get('/', cookie))).toMatchObject({ authenticated: false, user: null });
  });

  it('getSession (for proxy.ts) refreshes and hands back the cookie to write', async () => {
    issuer.accessTokenTtl = 30;
    const cookie = await signedInCookie(bff, issuer);
    const lookup = await bff.getSession(get('/', cookie));
    expect(lookup.authenticated).toBe(true);
    expect(lookup.setCookie).toHaveLength(1);
    expect(issuer.refreshCalls).toBe(1);
  });
});
