import { createRevocationStore } from '@bff-auth/revocation';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createIssuerKeys,
  createRsaKeyPair,
  createTokenFactory,
  type IssuerKeys,
  startJwksServer,
} from './testing';
import { createTokenVerifier } from './token-verifier';

const ISSUER = 'http://issuer.test';

describe('JWKS outages and rotation', () => {
  let t: TestRedis;
  let keys: IssuerKeys;

  beforeAll(async () => {
    t = await createTestRedis('jwks-outage');
    keys = await createIssuerKeys();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const verifierFor = (jwksUrl: string, cacheMaxAgeMs = 600_000) =>
    createTokenVerifier({
      issuer: ISSUER,
      audience: 'user-api',
      jwksUrl,
      revocation: createRevocationStore({ redis: t.redis }),
      jwksTimeoutMs: 500,
      jwksCooldownMs: 200,
      jwksCacheMaxAgeMs: cacheMaxAgeMs,
    });

  it('keeps verifying with cached keys when the JWKS endpoint goes away, even past the cache age', async () => {
    const jwks = await startJwksServer([keys.rsa.publicJwk]);
    const verifier = verifierFor(jwks.jwksUrl, 100);
    const tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
    await verifier.verify(await tokens.sign());
    await jwks.close();
    await expect(verifier.verify(await tokens.sign())).resolves.toMatchObject({ userId: 'user-1' });
    await new Promise((r) => setTimeout(r, 300)); // past cacheMaxAge and the cooldown
    await expect(verifier.verify(await tokens.sign())).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('still refuses unknown keys while the JWKS endpoint is down', async () => {
    const jwks = await startJwksServer([keys.rsa.publicJwk]);
    const verifier = verifierFor(jwks.jwksUrl);
    const tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
    await verifier.verify(await tokens.sign());
    await jwks.close();
    const stranger = await createRsaKeyPair('stranger');
    await expect(verifier.verify(await tokens.sign({ key: stranger }))).rejects.toMatchObject({
      code: 'invalid_token',
    });
  });

  it('answers 503 jwks_unavailable when no key set was ever fetched', async () => {
    const jwks = await startJwksServer([keys.rsa.publicJwk]);
    await jwks.close();
    const verifier = verifierFor(jwks.jwksUrl);
    const tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
    await expect(verifier.verify(await tokens.sign())).rejects.toMatchObject({
      code: 'jwks_unavailable',
      status: 503,
    });
  });

  it('picks up a new signing key published before it is used (rotation)', async () => {
    const jwks = await startJwksServer([keys.rsa.publicJwk]);
    try {
      const verifier = verifierFor(jwks.jwksUrl);
      const oldTokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
      await verifier.verify(await oldTokens.sign());
      const next = await createRsaKeyPair('next-key');
      jwks.setKeys([keys.rsa.publicJwk, next.publicJwk]);
      await new Promise((r) => setTimeout(r, 250)); // past the cooldown
      const newTokens = createTokenFactory({ key: next, issuer: ISSUER, audience: 'user-api' });
      await expect(verifier.verify(await newTokens.sign())).resolves.toMatchObject({ userId: 'user-1' });
      await expect(verifier.verify(await oldTokens.sign())).resolves.toMatchObject({ userId: 'user-1' });
    } finally {
      await jwks.close();
    }
  });

  it('fetches the key set once for many concurrent first requests', async () => {
    const jwks = await startJwksServer([keys.rsa.publicJwk]);
    try {
      const verifier = verifierFor(jwks.jwksUrl);
      const tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
      const all = await Promise.all(
        Array.from({ length: 20 }, async () => verifier.verify(await tokens.sign())),
      );
      expect(all).toHaveLength(20);
      expect(jwks.hits).toBe(1);
    } finally {
      await jwks.close();
    }
  });

  it('copies the key set once per fetch, never per request (no per-request JWKS objects)', async () => {
    const jwks = await startJwksServer([keys.rsa.publicJwk]);
    const clone = vi.spyOn(globalThis, 'structuredClone');
    try {
      const verifier = verifierFor(jwks.jwksUrl);
      const tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: 'user-api' });
      const signed = await Promise.all(Array.from({ length: 11 }, () => tokens.sign()));
      await verifier.verify(signed[0]!); // the fetch: jose's copy and the stale copy kept for outages
      clone.mockClear();
      for (const token of signed.slice(1)) await verifier.verify(token);
      expect(clone).not.toHaveBeenCalled();
      expect(jwks.hits).toBe(1);
    } finally {
      clone.mockRestore();
      await jwks.close();
    }
  });
});
