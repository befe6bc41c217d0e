import {
  type AttackContext,
  createAttackContext,
  createDpopTestClient,
  DPOP_ATTACKS,
  type DpopTestClient,
  TOKEN_ATTACKS,
} from '@bff-auth/token-verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserApi, TEST_ISSUER, type UserApiHarness } from './test-support';

describe('user-api refuses every token attack of SPEC §8', () => {
  let h: UserApiHarness;
  let ctx: AttackContext & { close(): Promise<void> };
  beforeAll(async () => {
    h = await startUserApi('attacks');
    ctx = await createAttackContext({
      issuer: TEST_ISSUER,
      audience: 'user-api',
      otherAudience: 'admin-api',
      keys: h.keys,
      revocation: h.revocation,
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await h?.close();
  });

  it('accepts the untampered token the attacks start from', async () => {
    const res = await h.app.request('/api/v1/profiles/me', {
      headers: { authorization: `Bearer ${await ctx.tokens.sign()}` },
    });
    expect(res.status).toBe(200);
  });

  for (const method of ['GET', 'PUT'] as const) {
    it.each(TOKEN_ATTACKS)(`${method}: refuses $name with 401`, async ({ authorization }) => {
      const value = await authorization(ctx);
      const res = await h.app.request('/api/v1/profiles/me', {
        method,
        headers: {
          'content-type': 'application/json',
          ...(value === undefined ? {} : { authorization: value }),
        },
        ...(method === 'PUT' ? { body: JSON.stringify({ displayName: 'attacker' }) } : {}),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await res.json();
      expect(body).toEqual({
        status: 'error',
        error: {
          code: expect.stringMatching(/^(missing_token|invalid_token|token_expired|token_revoked)$/),
          message: expect.any(String),
          requestId: expect.any(String),
        },
      });
    });
  }

  it('never fetched keys from an attacker URL', () => {
    expect(ctx.attackerJwks.hits).toBe(0);
  });
});

describe('user-api refuses every DPoP attack of SPEC §8 (ACCESS_TOKEN_DPOP=required, as it runs)', () => {
  const url = 'http://user-api.test/api/v1/profiles/me';
  let h: UserApiHarness;
  let client: DpopTestClient;
  let other: DpopTestClient;
  beforeAll(async () => {
    h = await startUserApi('dpop-attacks', { dpop: 'required' });
    [client, other] = [await createDpopTestClient(), await createDpopTestClient()];
  });
  afterAll(async () => h?.close());

  const bound = () => h.tokens.sign({ claims: { ...{}, cnf: { jkt: client.jkt } } });
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
    for (const token of [await bound(), await h.tokens.sign({ claims: {} })]) {
      const res = await send({ authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
    }
  });
});
