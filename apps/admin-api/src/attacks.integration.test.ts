import { type AttackContext, createAttackContext, TOKEN_ATTACKS } from '@bff-auth/token-verifier/testing';
import { describeDpopAttacks } from '@bff-auth/token-verifier/testing/dpop-attack-suite';
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

describeDpopAttacks({
  api: 'admin-api',
  start: () => startAdminApi('dpop-attacks', { dpop: 'required' }),
  url: 'http://admin-api.test/api/v1/admin/users',
  method: 'GET',
  claims: { roles: ['admin'] },
});
