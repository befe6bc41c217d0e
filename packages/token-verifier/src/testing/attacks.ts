import { randomUUID } from 'node:crypto';
import type { RevocationStore } from '@bff-auth/revocation';
import { b64url, hmacToken, psychicSignatureToken, rawRs256Token, unsignedToken } from './forge';
import { startJwksServer } from './jwks-server';
import { createRsaKeyPair, type IssuerKeys, type TestKeyPair } from './keys';
import { createTokenFactory, nowSec, type TokenFactory } from './token-factory';

/** Everything an attack needs to build its request against one API. */
export interface AttackContext {
  issuer: string;
  /** The API under attack. */
  audience: string;
  /** The other API: its tokens must not work here. */
  otherAudience: string;
  keys: IssuerKeys;
  /** Valid tokens for `audience`, signed with the issuer's key. */
  tokens: TokenFactory;
  /** The revocation store of the API under test (same Redis and prefix). */
  revocation: RevocationStore;
  /** A key the issuer never published. */
  attacker: TestKeyPair;
  /** A JWKS server of the attacker's, publishing `attacker`: the verifier must never fetch it. */
  attackerJwks: { url: string; jwksUrl: string; readonly hits: number };
}

export interface TokenAttack {
  name: string;
  /** The `Authorization` header value to send (undefined: send none), after arranging any Redis state. */
  authorization(ctx: AttackContext): Promise<string | undefined>;
}

/** Builds the context, starting the attacker's JWKS server; call `close` after the suite. */
export async function createAttackContext(options: {
  issuer: string;
  audience: string;
  otherAudience: string;
  keys: IssuerKeys;
  revocation: RevocationStore;
}): Promise<AttackContext & { close(): Promise<void> }> {
  const attacker = await createRsaKeyPair('attacker-key');
  const attackerJwks = await startJwksServer([attacker.publicJwk]);
  return {
    ...options,
    tokens: createTokenFactory({ key: options.keys.rsa, issuer: options.issuer, audience: options.audience }),
    attacker,
    attackerJwks,
    close: () => attackerJwks.close(),
  };
}

const bearer = (token: string) => `Bearer ${token}`;
const header = (ctx: AttackContext, extra: Record<string, unknown> = {}) => ({
  typ: 'at+jwt',
  kid: ctx.keys.rsa.kid,
  ...extra,
});
const claims = (ctx: AttackContext) => ctx.tokens.defaultClaims() as Record<string, unknown>;
const signed = async (ctx: AttackContext, options: Parameters<TokenFactory['sign']>[0]) =>
  bearer(await ctx.tokens.sign(options));
const victim = () => `victim-${randomUUID()}`;

const algNone = (alg: string): TokenAttack => ({
  name: `alg "${alg}" with no signature`,
  authorization: async (ctx) => bearer(unsignedToken(alg, header(ctx), claims(ctx))),
});

const hostileKid = (label: string, kid: string): TokenAttack => ({
  name: `hostile kid (${label}) on a token signed with the issuer key`,
  authorization: (ctx) => signed(ctx, { header: { kid } }),
});

const missingClaim = (claim: string): TokenAttack => ({
  name: `a token without the required "${claim}" claim`,
  authorization: (ctx) => signed(ctx, { claims: { [claim]: undefined } }),
});

const scheme = (name: string, make: (token: string) => string): TokenAttack => ({
  name,
  authorization: async (ctx) => make(await ctx.tokens.sign()),
});

/**
 * The token attacks of SPEC §8. Every one must get 401 with the error envelope, never 200 and never 500.
 * Tokens are forged with jose and node:crypto; the revocation cases write the real Redis keys first.
 */
export const TOKEN_ATTACKS: readonly TokenAttack[] = [
  ...['none', 'None', 'NONE', 'nOnE'].map(algNone),
  {
    name: 'a valid token re-headed as alg "none" keeping its signature',
    authorization: async (ctx) => {
      const [, payload, signature] = (await ctx.tokens.sign()).split('.');
      return bearer(`${b64url(JSON.stringify(header(ctx, { alg: 'none' })))}.${payload}.${signature}`);
    },
  },
  {
    name: 'HS256 signed with the public key PEM',
    authorization: async (ctx) => bearer(hmacToken(ctx.keys.rsa.publicPem, header(ctx), claims(ctx))),
  },
  {
    name: 'HS256 signed with the public JWK',
    authorization: async (ctx) =>
      bearer(hmacToken(JSON.stringify(ctx.keys.rsa.publicJwk), header(ctx), claims(ctx))),
  },
  {
    name: 'an embedded jwk header with the attacker key',
    authorization: (ctx) =>
      signed(ctx, { key: ctx.attacker, header: { jwk: ctx.attacker.publicJwk as Record<string, unknown> } }),
  },
  {
    name: 'an embedded jwk header claiming the issuer kid',
    authorization: (ctx) =>
      signed(ctx, {
        key: ctx.attacker,
        header: { kid: ctx.keys.rsa.kid, jwk: { ...ctx.attacker.publicJwk, kid: ctx.keys.rsa.kid } },
      }),
  },
  {
    name: 'a jku header pointing at the attacker JWKS',
    authorization: (ctx) => signed(ctx, { key: ctx.attacker, header: { jku: ctx.attackerJwks.jwksUrl } }),
  },
  {
    name: 'an x5u header pointing at the attacker',
    authorization: (ctx) =>
      signed(ctx, { key: ctx.attacker, header: { x5u: `${ctx.attackerJwks.url}/cert.pem` } }),
  },
  {
    name: 'the issuer kid on a token signed with another key',
    authorization: (ctx) => signed(ctx, { key: ctx.attacker, header: { kid: ctx.keys.rsa.kid } }),
  },
  hostileKid('path traversal', '../../../../../../dev/null'),
  hostileKid('SQL', "x' OR '1'='1' --"),
  hostileKid('unknown', 'no-such-key'),
  hostileKid('empty', ''),
  {
    name: 'an unknown crit header parameter',
    authorization: async (ctx) =>
      bearer(
        rawRs256Token(
          ctx.keys.rsa.privateKey,
          header(ctx, { crit: ['x-unknown'], 'x-unknown': true }),
          claims(ctx),
        ),
      ),
  },
  {
    name: 'an unencoded payload (b64: false in crit)',
    authorization: async (ctx) =>
      bearer(rawRs256Token(ctx.keys.rsa.privateKey, header(ctx, { b64: false, crit: ['b64'] }), claims(ctx))),
  },
  {
    name: 'ES256 with r = s = 0 (psychic signature) against a published EC key',
    authorization: async (ctx) =>
      bearer(psychicSignatureToken(header(ctx, { kid: ctx.keys.ec.kid }), claims(ctx))),
  },
  {
    name: 'ES256 properly signed with the published EC key (only RS256 is allowed)',
    authorization: (ctx) => signed(ctx, { key: ctx.keys.ec, header: { alg: 'ES256' } }),
  },
  {
    name: 'PS256 signed with the issuer RSA key (only RS256 is allowed)',
    authorization: (ctx) => signed(ctx, { header: { alg: 'PS256' } }),
  },
  {
    name: 'a valid token with its signature stripped',
    authorization: async (ctx) => bearer(`${(await ctx.tokens.sign()).split('.').slice(0, 2).join('.')}.`),
  },
  {
    name: 'a valid token with one signature byte flipped',
    authorization: async (ctx) => {
      const [h, p, s = ''] = (await ctx.tokens.sign()).split('.');
      const bytes = Buffer.from(s, 'base64url');
      bytes[10] = (bytes[10] ?? 0) ^ 1;
      return bearer(`${h}.${p}.${bytes.toString('base64url')}`);
    },
  },
  {
    name: 'an expired token',
    authorization: (ctx) => signed(ctx, { claims: { iat: nowSec() - 900, exp: nowSec() - 600 } }),
  },
  {
    name: 'a token not valid yet (nbf in the future)',
    authorization: (ctx) => signed(ctx, { claims: { nbf: nowSec() + 3600 } }),
  },
  {
    name: 'a token issued in the future (iat)',
    authorization: (ctx) => signed(ctx, { claims: { iat: nowSec() + 3600, exp: nowSec() + 3900 } }),
  },
  {
    name: 'a wrong issuer',
    authorization: (ctx) => signed(ctx, { claims: { iss: 'https://evil.example.com' } }),
  },
  {
    name: 'the issuer with a trailing slash',
    authorization: (ctx) => signed(ctx, { claims: { iss: `${ctx.issuer}/` } }),
  },
  {
    name: "the other API's token (aud)",
    authorization: (ctx) => signed(ctx, { claims: { aud: ctx.otherAudience } }),
  },
  {
    name: 'an audience array naming both APIs',
    authorization: (ctx) => signed(ctx, { claims: { aud: [ctx.audience, ctx.otherAudience] } }),
  },
  {
    name: 'typ "JWT" instead of at+jwt',
    authorization: (ctx) => signed(ctx, { header: { typ: 'JWT' } }),
  },
  {
    name: 'no typ header',
    authorization: (ctx) => signed(ctx, { header: { typ: undefined } }),
  },
  ...['sub', 'jti', 'exp', 'iat'].map(missingClaim),
  {
    name: 'roles given as a string instead of an array',
    authorization: (ctx) => signed(ctx, { claims: { roles: 'admin' } }),
  },
  { name: 'a malformed token (one segment)', authorization: async () => bearer('not-a-jwt') },
  { name: 'a malformed token (garbage segments)', authorization: async () => bearer('a.b.c') },
  { name: 'a malformed token (empty segments)', authorization: async () => bearer('..') },
  {
    name: 'a malformed token (header is not JSON)',
    authorization: async (ctx) => {
      const [, p, s] = (await ctx.tokens.sign()).split('.');
      return bearer(`${b64url('{not json')}.${p}.${s}`);
    },
  },
  {
    name: 'a 20 KB token, validly signed',
    authorization: (ctx) => signed(ctx, { claims: { padding: 'x'.repeat(20 * 1024) } }),
  },
  { name: 'no Authorization header', authorization: async () => undefined },
  scheme('the Basic scheme', () => `Basic ${Buffer.from('user:password').toString('base64')}`),
  scheme('a valid token under the "Token" scheme', (t) => `Token ${t}`),
  scheme('a valid token with no scheme', (t) => t),
  scheme('"Bearer" with no token', () => 'Bearer'),
  scheme('a valid token after two spaces', (t) => `Bearer  ${t}`),
  scheme('two tokens in one header', (t) => `Bearer ${t}, Bearer ${t}`),
  {
    name: 'a deny-listed jti (logged-out token)',
    authorization: async (ctx) => {
      const sub = victim();
      const jti = `jti-${randomUUID()}`;
      await ctx.revocation.denyJti(sub, jti, 300);
      return signed(ctx, { claims: { sub, jti } });
    },
  },
  {
    name: "a token older than the user's not-before time",
    authorization: async (ctx) => {
      const sub = victim();
      const iat = nowSec();
      await ctx.revocation.setUserNotBefore(sub, iat);
      return signed(ctx, { claims: { sub, iat } });
    },
  },
  {
    name: 'a token of a revoked session (sid)',
    authorization: async (ctx) => {
      const sub = victim();
      const sid = `sid-${randomUUID()}`;
      await ctx.revocation.revokeSession(sub, sid, 300);
      return signed(ctx, { claims: { sub, sid } });
    },
  },
  {
    name: 'a token of a disabled user',
    authorization: async (ctx) => {
      const sub = victim();
      await ctx.revocation.setUserDisabled(sub, true);
      return signed(ctx, { claims: { sub } });
    },
  },
];
