import { createRevocationStore } from '@bff-auth/revocation';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDpopReplayCache } from './dpop-replay';

import {
  createDpopTestClient,
  createIssuerKeys,
  createTestResourceApp,
  createTokenFactory,
  DPOP_ATTACKS,
  type DpopTestClient,
  FUZZ_RUNS,
  hostileHeaderValue,
  type JwksServer,
  startJwksServer,
  type TokenFactory,
} from './testing';
import { createTokenVerifier, type DpopPolicy, type TokenVerifier } from './token-verifier';

const ISSUER = 'http://issuer.test';
const AUDIENCE = 'user-api';
const URL_ME = 'http://api.test/me';
const ALGS = 'algs="ES256 ES384 EdDSA Ed25519 PS256 RS256"';

describe('DPoP (RFC 9449) at the resource server (real JWKS server, real Redis)', () => {
  let t: TestRedis;
  let jwks: JwksServer;
  let tokens: TokenFactory;
  let client: DpopTestClient;
  let other: DpopTestClient;
  let apps: Record<'required' | 'allowed' | 'unsupported', ReturnType<typeof createTestResourceApp>>;
  let verifierFor: (dpop: DpopPolicy | undefined) => TokenVerifier;

  beforeAll(async () => {
    t = await createTestRedis('token-verifier-dpop');
    const keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk]);
    tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: AUDIENCE });
    client = await createDpopTestClient();
    other = await createDpopTestClient();
    const revocation = createRevocationStore({ redis: t.redis });
    verifierFor = (dpop) =>
      createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.jwksUrl, revocation, dpop });
    const replay = createDpopReplayCache({ redis: t.redis });
    apps = {
      required: createTestResourceApp(verifierFor({ mode: 'required', replay })),
      allowed: createTestResourceApp(verifierFor({ mode: 'allowed', replay })),
      unsupported: createTestResourceApp(verifierFor(undefined)),
    };
  });

  afterAll(async () => {
    await jwks?.close();
    await t?.cleanup();
  });

  const bound = (c: DpopTestClient = client, claims: Record<string, unknown> = {}) =>
    tokens.sign({ claims: { cnf: { jkt: c.jkt }, ...claims } });
  const call = (
    app: ReturnType<typeof createTestResourceApp>,
    headers: Record<string, string>,
    { method = 'GET', url = URL_ME }: { method?: string; url?: string } = {},
  ) => app.request(url, { method, headers });
  const dpopCall = async (token: string, proof: string, app = apps.required) =>
    call(app, { authorization: `DPoP ${token}`, dpop: proof });

  it('accepts a bound token with a proof of its key for this method and URL', async () => {
    const token = await bound();
    const res = await dpopCall(token, await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token }));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ userId: 'user-1', boundKey: client.jkt });
  });

  it('ignores the query and fragment of the URL (RFC 9449 §4.3)', async () => {
    const token = await bound();
    const proof = await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token });
    const res = await call(
      apps.required,
      { authorization: `DPoP ${token}`, dpop: proof },
      { url: `${URL_ME}?a=1` },
    );
    expect(res.status).toBe(200);
  });

  describe('attacks (SPEC §8, extended for DPoP): each gets 401 invalid_dpop_proof', () => {
    it.each(DPOP_ATTACKS)('$name', async ({ proof }) => {
      const token = await bound();
      const res = await dpopCall(token, await proof({ client, other, method: 'GET', url: URL_ME }, token));
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_dpop_proof');
      expect(res.headers.get('www-authenticate')).toBe(`DPoP error="invalid_dpop_proof", ${ALGS}`);
    });

    it('a replayed proof: the same proof works once, across verifier instances sharing Redis', async () => {
      const token = await bound();
      const proof = await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token });
      expect((await dpopCall(token, proof, apps.required)).status).toBe(200);
      // A second instance of the API (its own verifier, the same Redis) has heard of it too.
      const res = await dpopCall(token, proof, apps.allowed);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_dpop_proof');
    });

    it('no proof at all with the DPoP scheme', async () => {
      const res = await call(apps.required, { authorization: `DPoP ${await bound()}` });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_dpop_proof');
    });
  });

  describe('the scheme must match the binding', () => {
    it('refuses a bound token presented as a plain Bearer token, even where Bearer is allowed', async () => {
      for (const app of [apps.required, apps.allowed, apps.unsupported]) {
        const res = await call(app, { authorization: `Bearer ${await bound()}` });
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe('invalid_token');
      }
    });

    it('refuses an unbound token with the DPoP scheme, however good the proof', async () => {
      const token = await tokens.sign();
      const res = await dpopCall(token, await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token }));
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toBe(`DPoP error="invalid_token", ${ALGS}`);
    });

    it('refuses a Bearer token where DPoP is required, and says which scheme to use', async () => {
      const res = await call(apps.required, { authorization: `Bearer ${await tokens.sign()}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`DPoP error="invalid_token", ${ALGS}`);
    });

    it('accepts an unbound Bearer token where DPoP is allowed, and offers both schemes to a caller without credentials', async () => {
      expect((await call(apps.allowed, { authorization: `Bearer ${await tokens.sign()}` })).status).toBe(200);
      const res = await call(apps.allowed, {});
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer, DPoP ${ALGS}`);
      expect((await call(apps.required, {})).headers.get('www-authenticate')).toBe(`DPoP ${ALGS}`);
    });

    it('refuses the DPoP scheme where DPoP is not configured', async () => {
      const token = await bound();
      const res = await call(apps.unsupported, {
        authorization: `DPoP ${token}`,
        dpop: await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });
  });

  it('checks htu against the public origin when the API sits behind a proxy that changes it', async () => {
    const replay = createDpopReplayCache({ redis: t.redis });
    const app = createTestResourceApp(
      verifierFor({ mode: 'required', replay, publicOrigin: 'https://api.example.com' }),
    );
    const token = await bound();
    const good = await client.proof({ htm: 'GET', htu: 'https://api.example.com/me', accessToken: token });
    expect(
      (await call(app, { authorization: `DPoP ${token}`, dpop: good }, { url: 'http://10.0.0.7:8001/me' }))
        .status,
    ).toBe(200);
    const internal = await client.proof({ htm: 'GET', htu: 'http://10.0.0.7:8001/me', accessToken: token });
    expect(
      (
        await call(
          app,
          { authorization: `DPoP ${token}`, dpop: internal },
          { url: 'http://10.0.0.7:8001/me' },
        )
      ).status,
    ).toBe(401);
  });

  it('fails closed (503, Retry-After) when the replay cache cannot answer', async () => {
    const dead = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const app = createTestResourceApp(
      verifierFor({ mode: 'required', replay: createDpopReplayCache({ redis: dead }) }),
    );
    const token = await bound();
    const res = await dpopCall(
      token,
      await client.proof({ htm: 'GET', htu: URL_ME, accessToken: token }),
      app,
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    dead.disconnect();
  });

  it('refuses a bad policy at construction', () => {
    const replay = createDpopReplayCache({ redis: t.redis });
    expect(() => verifierFor({ mode: 'sometimes' as 'required', replay })).toThrow(/dpop.mode/);
    expect(() =>
      verifierFor({ mode: 'required', replay, publicOrigin: 'https://api.example.com/path' }),
    ).toThrow(/publicOrigin/);
  });

  it('answers any DPoP header value with 200 or a clean 401, never a 5xx (property)', async () => {
    const token = await bound();
    await fc.assert(
      fc.asyncProperty(hostileHeaderValue(), async (proof) => {
        const res = await dpopCall(token, proof);
        expect(res.status).toBe(401);
      }),
      FUZZ_RUNS,
    );
  });
});
