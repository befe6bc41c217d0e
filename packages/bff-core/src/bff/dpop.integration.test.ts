import { startAuthService, type TestAuthService } from '@bff-auth/auth-service/testing';
import { createRevocationStore } from '@bff-auth/revocation';
import { listen, type StartedServer } from '@bff-auth/service-kit/http';
import { createDpopReplayCache, createTokenVerifier } from '@bff-auth/token-verifier';
import { createDpopTestClient, createTestResourceApp } from '@bff-auth/token-verifier/testing';
import { calculateJwkThumbprint, decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cookiePair, get } from '../testing/bff-fixture';
import { startTestServer, type TestServer } from '../testing/http-server';
import { createUserWebBff, sessionCookieOf, signInAtProvider } from '../testing/provider-sign-in';
import type { Bff } from './create-bff';

/**
 * SPEC §13 DPoP, end to end: the real auth service binds the BFF's tokens to the session's key, and a real
 * resource server (token-verifier, DPoP required, replay cache in Redis) accepts the BFF's proofs — and
 * nothing else.
 */
const PASSWORD = 'correct horse battery staple';
let auth: TestAuthService;
let api: StartedServer;
const bffs: Bff[] = [];

function makeBff(apiUrl = api.url): Bff {
  const bff = createUserWebBff(auth, {
    upstreams: { 'user-api': { url: apiUrl } },
    routes: {
      me: { method: 'GET', path: '/api/me', upstream: 'user-api', upstreamPath: '/me', retries: 2 },
    },
  });
  bffs.push(bff);
  return bff;
}

async function signIn(bff: Bff, email: string) {
  const { callback } = await signInAtProvider(bff, { providerUrl: auth.url, email, password: PASSWORD });
  expect(callback.status).toBe(303);
  return sessionCookieOf(callback);
}

const sessionOf = async (bff: Bff, cookie: string) =>
  (await bff.context.sessions.read(get('/', cookie)))!.data;
const jktOf = (key: { x: string; y: string }) =>
  calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: key.x, y: key.y }, 'sha256');

beforeAll(async () => {
  auth = await startAuthService({ accessTokenTtl: 30 });
  const verifier = createTokenVerifier({
    issuer: auth.issuer,
    audience: 'user-api',
    revocation: createRevocationStore({ redis: auth.redis.redis, channelPrefix: auth.redis.prefix }),
    dpop: { mode: 'required', replay: createDpopReplayCache({ redis: auth.redis.redis }) },
  });
  api = await listen(createTestResourceApp(verifier), { port: 0 });
});
afterEach(async () => {
  await Promise.all(bffs.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await api?.close();
  await auth?.close();
});

describe('DPoP between the BFF, the provider and an API', () => {
  it('binds the session to a key sealed in its cookie, and the API accepts the proxied call only with it', async () => {
    const bff = makeBff();
    await auth.createUser({
      email: 'dee@example.com',
      password: PASSWORD,
      roles: ['user', ...Array.from({ length: 19 }, (_, i) => `role-${i}`)],
    });
    const cookie = await signIn(bff, 'dee@example.com');
    // Twenty roles, the key and DPoP-bound tokens still fit one cookie.
    expect(cookie.length).toBeLessThan(4096);
    expect(cookie).not.toContain('eyJ');
    const data = await sessionOf(bff, cookie);
    expect(data.dk).toBeDefined();
    expect(decodeJwt(data.at).cnf).toEqual({ jkt: await jktOf(data.dk!) });

    const res = await bff.handleProxy(get('/api/me', cookie), 'me');
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ boundKey: await jktOf(data.dk!) });

    // The same token copied out of the BFF: useless as a Bearer token, and with a thief's own key.
    const thief = await createDpopTestClient();
    const asBearer = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${data.at}` } });
    expect(asBearer.status).toBe(401);
    const withOwnKey = await fetch(`${api.url}/me`, {
      headers: {
        authorization: `DPoP ${data.at}`,
        dpop: await thief.proof({ htm: 'GET', htu: `${api.url}/me`, accessToken: data.at }),
      },
    });
    expect(withOwnKey.status).toBe(401);
    expect((await withOwnKey.json()).error.code).toBe('invalid_dpop_proof');
  });

  it('keeps the key across refreshes, also when another instance made the refresh', async () => {
    const [one, two] = [makeBff(), makeBff()];
    await auth.createUser({ email: 'ed@example.com', password: PASSWORD });
    const cookie = await signIn(one, 'ed@example.com');
    const before = await sessionOf(one, cookie);
    let refreshGrants = 0;
    const count = (ctx: { oidc: { params?: { grant_type?: unknown } } }) => {
      if (ctx.oidc.params?.grant_type === 'refresh_token') refreshGrants++;
    };
    auth.service.host.provider.on('grant.success', count);
    // A 30 s token is within the 60 s skew: every request is due, both instances race to refresh.
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).handleProxy(get('/api/me', cookie), 'me')),
    );
    auth.service.host.provider.off('grant.success', count);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(refreshGrants).toBe(1);
    const after = await sessionOf(one, cookiePair(responses[0]!.headers.get('set-cookie')!));
    expect(after.at).not.toBe(before.at);
    expect(after.dk).toEqual(before.dk);
    expect(decodeJwt(after.at).cnf).toEqual({ jkt: await jktOf(before.dk!) });
  });

  it('gives a session from before DPoP (no key in its cookie) a key at its next refresh', async () => {
    const bff = makeBff();
    await auth.createUser({ email: 'flo@example.com', password: PASSWORD });
    const { dk: _dropped, ...legacy } = await sessionOf(bff, await signIn(bff, 'flo@example.com'));
    const cookie = cookiePair(await bff.context.sessions.seal(legacy));
    const res = await bff.handleProxy(get('/api/me', cookie), 'me');
    expect(res.status).toBe(200);
    const after = await sessionOf(bff, cookiePair(res.headers.get('set-cookie')!));
    expect(after.dk).toBeDefined();
    expect(decodeJwt(after.at).cnf).toEqual({ jkt: await jktOf(after.dk!) });
  });
});

describe('proofs on retries', () => {
  let flaky: TestServer;
  afterEach(async () => flaky?.close());

  it('sends a new proof with every attempt, since an API remembers each one it has seen', async () => {
    let calls = 0;
    flaky = await startTestServer((_req, res) => {
      calls++;
      res.writeHead(calls === 1 ? 503 : 200, { 'content-type': 'application/json' });
      res.end('{"status":"success","data":{}}');
    });
    const bff = makeBff(flaky.url);
    await auth.createUser({ email: 'gus@example.com', password: PASSWORD });
    const cookie = await signIn(bff, 'gus@example.com');
    const res = await bff.handleProxy(get('/api/me', cookie), 'me');
    expect(res.status).toBe(200);
    const proofs = flaky.received.map((r) => r.headers.dpop as string);
    expect(proofs).toHaveLength(2);
    const [a, b] = proofs.map((p) => decodeJwt(p));
    expect(a!.jti).not.toBe(b!.jti);
    for (const claims of [a!, b!]) expect(claims).toMatchObject({ htm: 'GET', htu: `${flaky.url}/me` });
    expect(flaky.received[0]!.headers.authorization).toMatch(/^DPoP /);
  });
});
