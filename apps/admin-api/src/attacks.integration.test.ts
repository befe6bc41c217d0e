import {
  type AttackContext,
  createAttackContext,
  createDpopTestClient,
  DPOP_ATTACKS,
  type DpopTestClient,
  TOKEN_ATTACKS,
} from '@bff-auth/token-verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApiHarness, startAdminApi, TEST_ISSUER } from './test-support';

describe('admin-api refuses every token attack of SPEC §8', () => {
  let h: AdminApiHarness;
  let ctx: AttackContext & { close(): Promise<void> };
  beforeAll(async () => {
    h = await startAdminApi('attacks');
    ctx = await createAttackContext({
      issuer: TEST_ISSUER,
      audience: 'admin-api',
      otherAudience: 'user-api',
      keys: h.keys,
      revocation: h.revocation,
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await h?.close();
  });

  it('accepts the untampered token the attacks start from (as an admin)', async () => {
    const res = await h.app.request('/api/v1/admin/users', {
      headers: { authorization: `Bearer ${await ctx.tokens.sign({ claims: { roles: ['admin'] } })}` },
    });
    expect(res.status).toBe(200);
  });

  const routes = [
    ['GET', '/api/v1/admin/users'],
    ['POST', '/api/v1/admin/users/some-user/disable'],
  ] as const;
  for (const [method, path] of routes) {
    it.each(TOKEN_ATTACKS)(`${method} ${path}: refuses $name with 401`, async ({ authorization }) => {
      const value = await authorization(ctx);
      const res = await h.app.request(path, {
        method,
        headers: value === undefined ? {} : { authorization: value },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({
        status: 'error',
        error: {
          code: expect.stringMatching(/^(missing_token|invalid_token|token_expired|token_revoked)$/),
          message: expect.any(String),
          requestId: expect.any(String),
        },
      });
    });
  }

  it('let no attack reach the auth service or the attacker URL', () => {
    // Only the untampered admin request above fetched a client token.
    expect(h.upstream.tokenRequests).toBe(1);
    expect(h.upstream.users.size).toBe(0);
    expect(ctx.attackerJwks.hits).toBe(0);
  });
});

describe('admin-api refuses every DPoP attack of SPEC §8 (ACCESS_TOKEN_DPOP=required, as it runs)', () => {
  const url = 'http://admin-api.test/api/v1/admin/users';
  let h: AdminApiHarness;
  let client: DpopTestClient;
  let other: DpopTestClient;
  beforeAll(async () => {
    h = await startAdminApi('dpop-attacks', { dpop: 'required' });
    [client, other] = [await createDpopTestClient(), await createDpopTestClient()];
  });
  afterAll(async () => h?.close());

  const bound = () => h.tokens.sign({ claims: { ...{ roles: ['admin'] }, cnf: { jkt: client.jkt } } });
  const send = (headers: Record<string, string>) => h.app.request(url, { method: 'GET', headers });

  it('accepts a bound token with a good proof, once: the same proof again is a replay', async () => {
    const token = await bound();
    const proof = await client.proof({ htm: 'GET', htu: url, accessToken: token });
    expect((await send({ authorization: `DPoP ${token}`, dpop: proof })).status).toBe(200);
    const replay = await send({ authorization: `DPoP ${token}`, dpop: proof });
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('invalid_dpop_proof');
  });

  it.each(DPOP_ATTACKS)('refuses $name with 401 invalid_dpop_proof', async ({ proof }) => {
    const token = await bound();
    const res = await send({
      authorization: `DPoP ${token}`,
      dpop: await proof({ client, other, method: 'GET', url }, token),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
    expect((await res.json()).error.code).toBe('invalid_dpop_proof');
  });

  it('refuses the bound token as a plain Bearer token, and any unbound Bearer token', async () => {
    for (const token of [await bound(), await h.tokens.sign({ claims: { roles: ['admin'] } })]) {
      const res = await send({ authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    }
  });
});
