import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DPOP_ATTACKS } from './dpop-attacks';
import { createDpopTestClient, type DpopTestClient } from './dpop-client';
import type { TokenFactory } from './token-factory';

/** What the suite needs of an API under test: its app (with ACCESS_TOKEN_DPOP=required) and its tokens. */
export interface DpopAttackTarget {
  app: { request(url: string, init: RequestInit): Response | Promise<Response> };
  tokens: TokenFactory;
  close(): Promise<void>;
}

/**
 * (A subpath of its own, `@bff-auth/token-verifier/testing/dpop-attack-suite`: it imports vitest, which
 * only a test file may load — the rest of `testing` is used by the bench too.)
 *
 * Registers the DPoP attacks of SPEC §8 against one route of an API that requires DPoP: a good proof
 * works once (then it is a replay), every DPOP_ATTACKS proof gets 401 `invalid_dpop_proof`, and a Bearer
 * token — bound or not — gets 401 with a DPoP challenge. `claims` are what the route needs besides the
 * binding (an admin's roles).
 */
export function describeDpopAttacks({
  api,
  start,
  url,
  method,
  claims = {},
}: {
  /** The API's name, for the suite's title. */
  api: string;
  start: () => Promise<DpopAttackTarget>;
  url: string;
  method: string;
  claims?: Record<string, unknown>;
}) {
  describe(`${api} refuses every DPoP attack of SPEC §8 (ACCESS_TOKEN_DPOP=required, as it runs)`, () => {
    let target: DpopAttackTarget;
    let client: DpopTestClient;
    let other: DpopTestClient;
    beforeAll(async () => {
      target = await start();
      [client, other] = [await createDpopTestClient(), await createDpopTestClient()];
    });
    afterAll(async () => target?.close());

    const bound = () => target.tokens.sign({ claims: { ...claims, cnf: { jkt: client.jkt } } });
    const send = async (headers: Record<string, string>) => target.app.request(url, { method, headers });

    it('accepts a bound token with a good proof, once: the same proof again is a replay', async () => {
      const token = await bound();
      const proof = await client.proof({ htm: method, htu: url, accessToken: token });
      expect((await send({ authorization: `DPoP ${token}`, dpop: proof })).status).toBe(200);
      const replay = await send({ authorization: `DPoP ${token}`, dpop: proof });
      expect(replay.status).toBe(401);
      expect((await replay.json()).error.code).toBe('invalid_dpop_proof');
    });

    it.each(DPOP_ATTACKS)('refuses $name with 401 invalid_dpop_proof', async ({ proof }) => {
      const token = await bound();
      const res = await send({
        authorization: `DPoP ${token}`,
        dpop: await proof({ client, other, method, url }, token),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
      expect((await res.json()).error.code).toBe('invalid_dpop_proof');
    });

    it('refuses the bound token as a plain Bearer token, and any unbound Bearer token', async () => {
      for (const token of [await bound(), await target.tokens.sign({ claims })]) {
        const res = await send({ authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
      }
    });
  });
}
