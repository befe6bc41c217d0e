import { createRevocationStore } from '@bff-auth/revocation';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenVerificationError } from './errors';

import {
  type AttackContext,
  createAttackContext,
  createIssuerKeys,
  createTestResourceApp,
  createTokenFactory,
  type IssuerKeys,
  type JwksServer,
  startJwksServer,
  TOKEN_ATTACKS,
  type TokenFactory,
} from './testing';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

const ISSUER = 'http://issuer.test';
const AUDIENCE = 'user-api';

describe('token verifier (real JWKS server, real Redis)', () => {
  let t: TestRedis;
  let keys: IssuerKeys;
  let jwks: JwksServer;
  let verifier: TokenVerifier;
  let tokens: TokenFactory;
  let app: ReturnType<typeof createTestResourceApp>;
  let attack: AttackContext & { close(): Promise<void> };

  beforeAll(async () => {
    t = await createTestRedis('token-verifier');
    keys = await createIssuerKeys();
    jwks = await startJwksServer([keys.rsa.publicJwk, keys.ec.publicJwk]);
    const revocation = createRevocationStore({ redis: t.redis });
    verifier = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.jwksUrl, revocation });
    tokens = createTokenFactory({ key: keys.rsa, issuer: ISSUER, audience: AUDIENCE });
    app = createTestResourceApp(verifier);
    attack = await createAttackContext({
      issuer: ISSUER,
      audience: AUDIENCE,
      otherAudience: 'admin-api',
      keys,
      revocation,
    });
  });

  afterAll(async () => {
    await attack?.close();
    await jwks?.close();
    await t?.cleanup();
  });

  it('returns the identity of a valid token', async () => {
    const token = await tokens.sign({
      claims: { sub: 'u-42', roles: ['admin', 'user'], scope: 'openid users:read', sid: 's-1', jti: 'j-1' },
    });
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({
      userId: 'u-42',
      roles: ['admin', 'user'],
      scope: ['openid', 'users:read'],
      sid: 's-1',
      jti: 'j-1',
      clientId: 'test-client',
    });
  });

  it('accepts a token within the clock tolerance of its expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await tokens.sign({ claims: { iat: now - 300, exp: now - 2 } });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('says token_expired for an expired token, so a client knows to refresh', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await tokens.sign({ claims: { iat: now - 600, exp: now - 60 } });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'token_expired', status: 401 });
  });

  it('names the revocation reason for the logs but answers with token_revoked', async () => {
    await attack.revocation.revokeSession('user-1', 's-revoked', 60);
    const error = await verifier.verify(await tokens.sign({ claims: { sid: 's-revoked' } })).catch((e) => e);
    expect(error).toBeInstanceOf(TokenVerificationError);
    expect(error).toMatchObject({ code: 'token_revoked', reason: 'session_revoked', status: 401 });
  });

  describe('a token verified once (the verified-token cache)', () => {
    it('is not verified again: its signature is checked on the first request only', async () => {
      const token = await tokens.sign({ claims: { sid: 's-cache-1' } });
      const verifySpy = vi.spyOn(crypto.subtle, 'verify');
      try {
        await verifier.verify(token);
        await verifier.verify(token);
        await verifier.verify(token);
        expect(verifySpy).toHaveBeenCalledTimes(1);
        // Another token (even of the same user) is verified on its own.
        await verifier.verify(await tokens.sign({ claims: { sid: 's-cache-1' } }));
        expect(verifySpy).toHaveBeenCalledTimes(2);
      } finally {
        verifySpy.mockRestore();
      }
    });

    it('still answers for revocation on every request', async () => {
      const token = await tokens.sign({ claims: { sid: 's-cache-2' } });
      await expect(verifier.verify(token)).resolves.toMatchObject({ sid: 's-cache-2' });
      await attack.revocation.revokeSession('user-1', 's-cache-2', 60);
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'token_revoked' });
    });

    it('still expires: exp is checked on every request', async () => {
      const strict = createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUrl: jwks.jwksUrl,
        revocation: attack.revocation,
        clockToleranceSec: 0,
      });
      const now = Math.floor(Date.now() / 1000);
      const token = await tokens.sign({ claims: { iat: now - 10, exp: now + 1 } });
      await expect(strict.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
      await new Promise((resolve) => setTimeout(resolve, (now + 1) * 1000 - Date.now() + 50));
      await expect(strict.verify(token)).rejects.toMatchObject({ code: 'token_expired' });
    });

    it('hands out a frozen identity, so one request cannot change what the next one sees', async () => {
      const token = await tokens.sign({ claims: { roles: ['user'] } });
      const identity = await verifier.verify(token);
      expect(Object.isFrozen(identity)).toBe(true);
      expect(() => identity.roles.push('admin')).toThrow(TypeError);
      expect((await verifier.verify(token)).roles).toEqual(['user']);
    });
  });

  describe("a role change binds the API at once (SPEC §8), not only the BFF's next refresh", () => {
    it('refuses with 401 token_outdated a token issued before the last role change', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sub = `demoted-${now}`;
      const earlier = await tokens.sign({ claims: { sub, iat: now - 2, roles: ['admin'] } });
      await expect(verifier.verify(earlier)).resolves.toMatchObject({ roles: ['admin'] });
      await attack.revocation.markRolesChanged(sub, now - 1);
      const error = await verifier.verify(earlier).catch((e) => e);
      expect(error).toBeInstanceOf(TokenVerificationError);
      expect(error).toMatchObject({ code: 'token_outdated', status: 401, reason: 'roles_changed' });
      const res = await app.request('/me', { headers: { authorization: `Bearer ${earlier}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect((await res.json()).error.code).toBe('token_outdated');
    });

    it('accepts a token issued in or after the second the new roles took effect', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sub = `promoted-${now}`;
      await attack.revocation.markRolesChanged(sub, now - 1);
      for (const iat of [now - 1, now]) {
        await expect(verifier.verify(await tokens.sign({ claims: { sub, iat } }))).resolves.toMatchObject({
          userId: sub,
        });
      }
    });

    it('reads the role change with the revocation keys: one store call, one MGET, per token', async () => {
      const store = createRevocationStore({ redis: t.redis });
      const calls: string[] = [];
      const counted = new Proxy(store, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(String(name));
            return value.apply(target, args);
          };
        },
      });
      const counting = createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUrl: jwks.jwksUrl,
        revocation: counted,
      });
      await counting.verify(await tokens.sign());
      expect(calls).toEqual(['inspect']);
    });
  });

  describe('attacks of SPEC §8 through accessTokenAuth', () => {
    it.each(TOKEN_ATTACKS)('refuses $name with 401 and the error envelope', async ({ authorization }) => {
      const value = await authorization(attack);
      const res = await app.request('/me', { headers: value === undefined ? {} : { authorization: value } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await res.json();
      expect(body).toMatchObject({
        status: 'error',
        error: { code: expect.any(String), requestId: expect.any(String) },
      });
      expect(JSON.stringify(body)).not.toContain('eyJ');
    });

    it('never fetches keys from a jku or x5u the token names', () => {
      expect(attack.attackerJwks.hits).toBe(0);
    });
  });

  it('answers 401 with WWW-Authenticate error="invalid_token" for a bad token', async () => {
    const res = await app.request('/me', { headers: { authorization: 'Bearer a.b.c' } });
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect((await res.json()).error.code).toBe('invalid_token');
  });

  it('takes the identity from the token only, ignoring X-User-ID', async () => {
    const res = await app.request('/me', {
      headers: {
        authorization: `Bearer ${await tokens.sign({ claims: { sub: 'real-user' } })}`,
        'x-user-id': 'admin',
      },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).data.userId).toBe('real-user');
  });

  it('refuses bad options with a message naming the package and the option', () => {
    const revocation = createRevocationStore({ redis: t.redis });
    expect(() => createTokenVerifier({ issuer: '', audience: AUDIENCE, revocation })).toThrow(
      '@bff-auth/token-verifier: option "issuer"',
    );
    expect(() =>
      createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, revocation, jwksUrl: 'nope' }),
    ).toThrow('option "jwksUrl"');
    expect(() =>
      createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, revocation, clockToleranceSec: -1 }),
    ).toThrow('option "clockToleranceSec"');
  });
});
