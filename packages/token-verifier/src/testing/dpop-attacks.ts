import type { DpopTestClient } from './dpop-client';

/** What a DPoP attack needs: the victim's key, the attacker's, and the request under attack. */
export interface DpopAttackContext {
  /** The key the token is bound to (the BFF's). */
  client: DpopTestClient;
  /** Another key (the thief's). */
  other: DpopTestClient;
  method: string;
  /** The URL the request goes to. */
  url: string;
}

export interface DpopAttack {
  name: string;
  /** The `DPoP` header to send with `Authorization: DPoP <accessToken>`. */
  proof(ctx: DpopAttackContext, accessToken: string): Promise<string>;
}

const now = () => Math.floor(Date.now() / 1000);
const otherMethod = (method: string) => (method === 'POST' ? 'PUT' : 'POST');
const good = (ctx: DpopAttackContext, accessToken: string, extra: Record<string, unknown> = {}) =>
  ctx.client.proof({ htm: ctx.method, htu: ctx.url, accessToken, ...extra });

/** The proof re-headed as alg none: payload kept, signature dropped. */
function unsigned(proof: string) {
  const [head, payload] = proof.split('.');
  const header = JSON.parse(Buffer.from(head!, 'base64url').toString());
  return `${Buffer.from(JSON.stringify({ ...header, alg: 'none' })).toString('base64url')}.${payload}.`;
}

/**
 * The DPoP attacks of SPEC §8 (RFC 9449 §11): each is a token bound to `client` sent with a proof that
 * must be refused with 401 `invalid_dpop_proof`. A replayed proof is not here: it needs two requests
 * (see each API's attack suite).
 */
export const DPOP_ATTACKS: readonly DpopAttack[] = [
  {
    name: 'a proof for another URL',
    proof: (ctx, at) => good(ctx, at, { htu: new URL('/other', ctx.url).href }),
  },
  {
    name: 'a proof for another host',
    proof: (ctx, at) => good(ctx, at, { htu: `http://evil.test${new URL(ctx.url).pathname}` }),
  },
  { name: 'a proof for another method', proof: (ctx, at) => good(ctx, at, { htm: otherMethod(ctx.method) }) },
  {
    name: "a proof from another key than the token's (a stolen token with the thief's own key)",
    proof: (ctx, at) => ctx.other.proof({ htm: ctx.method, htu: ctx.url, accessToken: at }),
  },
  {
    name: 'a proof signed by another key than its jwk header names',
    proof: (ctx, at) => good(ctx, at, { signWith: ctx.other.privateKey }),
  },
  { name: 'a proof made an hour ago (stale iat)', proof: (ctx, at) => good(ctx, at, { iat: now() - 3600 }) },
  { name: 'a proof made in the future', proof: (ctx, at) => good(ctx, at, { iat: now() + 600 }) },
  { name: 'a proof without ath', proof: (ctx) => ctx.client.proof({ htm: ctx.method, htu: ctx.url }) },
  { name: 'a proof for another access token (ath)', proof: (ctx) => good(ctx, 'x.y.z') },
  { name: 'a proof without jti', proof: (ctx, at) => good(ctx, at, { claims: { jti: undefined } }) },
  { name: 'a proof typed as a plain JWT', proof: (ctx, at) => good(ctx, at, { header: { typ: 'JWT' } }) },
  {
    name: 'a proof carrying its private key in the jwk header',
    proof: (ctx, at) => good(ctx, at, { header: { jwk: ctx.client.privateKey.export({ format: 'jwk' }) } }),
  },
  {
    name: 'a proof whose jwk header is missing',
    proof: (ctx, at) => good(ctx, at, { header: { jwk: undefined } }),
  },
  { name: 'a proof with alg none', proof: async (ctx, at) => unsigned(await good(ctx, at)) },
  {
    name: 'two proofs joined by a proxy',
    proof: async (ctx, at) => {
      const one = await good(ctx, at);
      return `${one}, ${one}`;
    },
  },
];
