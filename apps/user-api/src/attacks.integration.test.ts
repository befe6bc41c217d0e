import { type AttackContext, createAttackContext, TOKEN_ATTACKS } from '@bff-auth/token-verifier/testing';
import { describeDpopAttacks } from '@bff-auth/token-verifier/testing/dpop-attack-suite';
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

describeDpopAttacks({
  api: 'user-api',
  start: () => startUserApi('dpop-attacks', { dpop: 'required' }),
  url: 'http://user-api.test/api/v1/profiles/me',
  method: 'GET',
});
