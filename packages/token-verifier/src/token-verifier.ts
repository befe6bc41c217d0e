import {
  type RevocationStatus,
  type RevocationStore,
  RevocationUnavailableError,
} from '@bff-auth/revocation';
import { errors, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import { type AccessTokenIdentity, identityFromClaims } from './access-token-identity';
import { type AccessTokenProfile, normalizeTyp, resolveAccessTokenProfile } from './access-token-profile';
import {
  ALLOWED_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  DEFAULT_JWKS_CACHE_MAX_AGE_MS,
  DEFAULT_JWKS_COOLDOWN_MS,
  DEFAULT_JWKS_MAX_STALE_MS,
  DEFAULT_JWKS_TIMEOUT_MS,
} from './constants';
import { createDpopProofChecker, DEFAULT_DPOP_PROOF_MAX_AGE_SEC } from './dpop-proof';
import type { DpopReplayCache } from './dpop-replay';
import { TokenVerificationError } from './errors';
import { createJwksKeySource } from './jwks-key-source';
import type { AuthorizationScheme } from './parse-authorization';
import { createVerifiedTokenCache } from './verified-token-cache';

/**
 * How an API treats DPoP (RFC 9449). A token bound to a key (`cnf.jkt`) always needs a valid proof from
 * that key, whatever the mode; the mode decides about unbound Bearer tokens.
 */
export interface DpopPolicy {
  /**
   * `required`: every request proves possession (scheme DPoP, a bound token, a proof); a Bearer token is
   * refused. `allowed`: unbound Bearer tokens pass too (providers or clients without DPoP).
   */
  mode: 'required' | 'allowed';
  /** Where proof ids are remembered for the proof's lifetime (shared by every instance of the API). */
  replay: DpopReplayCache;
  /** Oldest proof accepted, by its `iat`, seconds. Default DEFAULT_DPOP_PROOF_MAX_AGE_SEC (60). */
  proofMaxAgeSec?: number;
  /**
   * The origin clients call this API at (`https://api.example.com`), when a proxy in front of it changes
   * scheme, host or port. Default: the origin of the request as this server received it.
   */
  publicOrigin?: string | undefined;
}

/** One request's credentials, as the transport received them. */
export interface PresentedCredentials {
  scheme: AuthorizationScheme;
  token: string;
  /** The `DPoP` header, if any. */
  proof: string | undefined;
  method: string;
  /** The full request URL as received. */
  url: string;
}

export interface TokenVerifierOptions {
  /** Expected `iss`, e.g. `http://localhost:8002`. */
  issuer: string;
  /** This API's audience (`user-api`, `admin-api`); tokens for any other audience are refused. */
  audience: string;
  /** JWKS location. Default `${issuer}/jwks`. */
  jwksUrl?: string;
  /** Revocation keys (SPEC §3), checked after the signature and claims. */
  revocation: RevocationStore;
  /**
   * What the provider's access tokens look like: accepted `typ` values, required claims, the roles
   * claim, whether `aud` may be an array. Default our auth service's: `at+jwt`, exp iat sub jti, `roles`,
   * one audience.
   */
  accessTokens?: AccessTokenProfile | undefined;
  /** Allowed clock skew in seconds for exp, nbf and iat. Default DEFAULT_CLOCK_TOLERANCE_SEC (5). */
  clockToleranceSec?: number;
  /** Timeout of one JWKS fetch. Default DEFAULT_JWKS_TIMEOUT_MS (3000). */
  jwksTimeoutMs?: number;
  /** Minimum gap between fetches caused by unknown kids. Default DEFAULT_JWKS_COOLDOWN_MS (30000). */
  jwksCooldownMs?: number;
  /** Age after which the JWKS is fetched again. Default DEFAULT_JWKS_CACHE_MAX_AGE_MS (600000). */
  jwksCacheMaxAgeMs?: number;
  /** How long the last good JWKS serves while the endpoint is down. Default DEFAULT_JWKS_MAX_STALE_MS (1 day). */
  jwksMaxStaleMs?: number;
  /** DPoP. Omitted: DPoP is not supported — the DPoP scheme and bound tokens are refused. */
  dpop?: DpopPolicy | undefined;
}

export interface TokenVerifier {
  /**
   * Verifies an access token: RS256 signature from the issuer's JWKS, `typ` (default `at+jwt`), issuer,
   * audience, exp/nbf/iat with the clock tolerance, required claims and their types, then the revocation keys and
   * the user's last role change (one Redis round trip). Signature and claims are checked once per token
   * (verified-token-cache.ts); `exp`, revocation and role changes on every call.
   * @throws TokenVerificationError — 401 codes for a bad token (`token_outdated` when the user's roles
   *   changed after it was issued: get a new one), 503 when Redis or the JWKS cannot answer.
   */
  verify(token: string): Promise<AccessTokenIdentity>;
  /**
   * Verifies a request's credentials: the token as `verify` does, then the sender constraint of the DPoP
   * policy — a bound token only with scheme DPoP and a valid, unused proof from its key; a Bearer token
   * only when it is unbound and the policy allows Bearer.
   * @throws TokenVerificationError — `invalid_dpop_proof` for a bad, replayed or foreign proof, the
   *   codes of `verify`, and 503 when the replay cache cannot answer.
   * @param alongside Redis work of the caller's own that needs the identity (the per-user rate limit):
   *   started once the token's signature, claims and binding passed, in the same round trip as the
   *   revocation read; awaited, and its rejection passed on, like the checks'.
   */
  authenticate(
    credentials: PresentedCredentials,
    alongside?: (identity: AccessTokenIdentity) => Promise<unknown>,
  ): Promise<AccessTokenIdentity>;
  /** Whether a request without any proof can pass (the challenge a 401 sends depends on it). */
  readonly dpopRequired: boolean;
  /** Whether this verifier understands DPoP at all. */
  readonly dpopSupported: boolean;
  readonly audience: string;
}

/** Creates the access-token verifier shared by user-api and admin-api (SPEC §6). */
export function createTokenVerifier({
  issuer,
  audience,
  jwksUrl = `${issuer}/jwks`,
  revocation,
  accessTokens,
  clockToleranceSec = DEFAULT_CLOCK_TOLERANCE_SEC,
  jwksTimeoutMs = DEFAULT_JWKS_TIMEOUT_MS,
  jwksCooldownMs = DEFAULT_JWKS_COOLDOWN_MS,
  jwksCacheMaxAgeMs = DEFAULT_JWKS_CACHE_MAX_AGE_MS,
  jwksMaxStaleMs = DEFAULT_JWKS_MAX_STALE_MS,
  dpop,
}: TokenVerifierOptions): TokenVerifier {
  requireString('issuer', issuer);
  requireString('audience', audience);
  if (!revocation || typeof revocation.inspect !== 'function')
    fail('revocation', 'must be a RevocationStore');
  const profile = resolveAccessTokenProfile(accessTokens);
  // One accepted typ is checked by jose itself; several, after it (jose takes one).
  const [onlyType] = profile.types.length === 1 ? profile.types : [];
  for (const [name, value] of Object.entries({
    clockToleranceSec,
    jwksTimeoutMs,
    jwksCooldownMs,
    jwksCacheMaxAgeMs,
    jwksMaxStaleMs,
  })) {
    if (!Number.isInteger(value) || value < 0) fail(name, 'must be a non-negative integer');
  }

  if (dpop) {
    if (dpop.mode !== 'required' && dpop.mode !== 'allowed') fail('dpop.mode', 'must be required or allowed');
    if (!dpop.replay || typeof dpop.replay.firstUse !== 'function')
      fail('dpop.replay', 'must be a DpopReplayCache');
    if (dpop.publicOrigin !== undefined && URL.parse(dpop.publicOrigin)?.origin !== dpop.publicOrigin)
      fail('dpop.publicOrigin', 'must be an origin such as https://api.example.com');
  }
  const proofMaxAgeSec = dpop?.proofMaxAgeSec ?? DEFAULT_DPOP_PROOF_MAX_AGE_SEC;
  const checkProof = createDpopProofChecker({ maxAgeSec: proofMaxAgeSec, clockToleranceSec });
  /** The URL the client called: the public origin (when set) with the path as received. */
  const calledUrl = (url: string) => {
    if (!dpop?.publicOrigin) return url;
    const received = new URL(url);
    return `${dpop.publicOrigin}${received.pathname}`;
  };

  const getKey = createJwksKeySource({
    url: parseUrl(jwksUrl),
    timeoutMs: jwksTimeoutMs,
    cooldownMs: jwksCooldownMs,
    cacheMaxAgeMs: jwksCacheMaxAgeMs,
    maxStaleMs: jwksMaxStaleMs,
  });

  // Built once: every request verifies against the same options.
  const verifyOptions: JWTVerifyOptions = {
    algorithms: [...ALLOWED_ALGORITHMS],
    issuer,
    audience,
    ...(onlyType ? { typ: onlyType } : {}),
    requiredClaims: [...profile.requiredClaims],
    clockTolerance: clockToleranceSec,
  };

  async function verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, getKey, verifyOptions);
      if (!onlyType) {
        const { typ } = protectedHeader;
        if (typeof typ !== 'string' || !profile.types.includes(normalizeTyp(typ))) {
          throw new TokenVerificationError('invalid_token', { reason: 'typ' });
        }
      }
      return payload;
    } catch (error) {
      if (error instanceof TokenVerificationError) throw error;
      if (error instanceof errors.JWTExpired) {
        throw new TokenVerificationError('token_expired', { reason: error.code, cause: error });
      }
      if (error instanceof errors.JOSEError) {
        throw new TokenVerificationError('invalid_token', { reason: error.code, cause: error });
      }
      throw error;
    }
  }

  const verifiedTokens = createVerifiedTokenCache({ clockToleranceSec });

  /** The signature and claims (once per token, then only `exp`: the verified-token cache). */
  async function readToken(token: string): Promise<AccessTokenIdentity> {
    const known = verifiedTokens.get(token);
    if (known) return known;
    const payload = await verifySignatureAndClaims(token);
    const identity = identityFromClaims(payload, profile);
    if (!identity) throw new TokenVerificationError('invalid_token', { reason: 'claim_types' });
    verifiedTokens.set(token, identity);
    return identity;
  }

  /** What may change between two requests with the same token: the clock and the revocation state. */
  async function inspect(identity: AccessTokenIdentity): Promise<RevocationStatus> {
    // jose checks a future iat only together with maxTokenAge; an access token from the future is forged
    // or from a broken clock either way.
    if (identity.issuedAt > Math.floor(Date.now() / 1000) + clockToleranceSec) {
      throw new TokenVerificationError('invalid_token', { reason: 'iat_in_future' });
    }
    // One MGET answers both questions: is the token revoked, and did the user's roles change after it
    // was issued (SPEC §8: a demotion binds the APIs too, not only the BFF's next refresh).
    let status: RevocationStatus;
    try {
      status = await revocation.inspect({
        userId: identity.userId,
        sid: identity.sid,
        jti: identity.jti,
        issuedAt: identity.issuedAt,
      });
    } catch (error) {
      if (error instanceof RevocationUnavailableError) {
        throw new TokenVerificationError('revocation_unavailable', { reason: error.code, cause: error });
      }
      throw error;
    }
    if (status.reason) throw new TokenVerificationError('token_revoked', { reason: status.reason });
    // The auth service records the first second whose tokens carry the new roles (it waits for that
    // second to begin before writing it), so anything issued earlier may hold the old roles.
    if (status.rolesChangedAt !== null && identity.issuedAt < status.rolesChangedAt) {
      throw new TokenVerificationError('token_outdated', { reason: 'roles_changed' });
    }
    return status;
  }

  async function verify(token: string): Promise<AccessTokenIdentity> {
    const identity = await readToken(token);
    await inspect(identity);
    return identity;
  }

  /** Records the proof as used; false when it was seen before. Redis errors fail closed (503). */
  async function firstUse(policy: DpopPolicy, jkt: string, jti: string): Promise<boolean> {
    try {
      // Kept as long as the proof could pass the age check.
      return await policy.replay.firstUse(jkt, jti, proofMaxAgeSec + 2 * clockToleranceSec);
    } catch (error) {
      throw new TokenVerificationError('revocation_unavailable', {
        reason: 'dpop_replay_cache',
        cause: error,
      });
    }
  }

  async function authenticate(
    { scheme, token, proof, method, url }: PresentedCredentials,
    alongside?: (identity: AccessTokenIdentity) => Promise<unknown>,
  ) {
    if (scheme === 'bearer') {
      if (dpop?.mode === 'required')
        throw new TokenVerificationError('invalid_token', { reason: 'dpop_required' });
      const identity = await readToken(token);
      // RFC 9449 §7.1: a bound token presented as a plain Bearer token is refused.
      if (identity.boundKey)
        throw new TokenVerificationError('invalid_token', { reason: 'bound_token_as_bearer' });
      await Promise.all([inspect(identity), alongside?.(identity)]);
      return identity;
    }
    if (!dpop) throw new TokenVerificationError('invalid_token', { reason: 'dpop_unsupported' });
    if (!proof) throw new TokenVerificationError('invalid_dpop_proof', { reason: 'missing' });
    // The proof first: it costs no network, and a request without a good one learns nothing of the token.
    const verified = await checkProof({ proof, method, url: calledUrl(url), accessToken: token });
    const identity = await readToken(token);
    if (!identity.boundKey) throw new TokenVerificationError('invalid_token', { reason: 'token_not_bound' });
    if (identity.boundKey !== verified.jkt)
      throw new TokenVerificationError('invalid_dpop_proof', { reason: 'jkt_mismatch' });
    // The revocation read, the proof's replay record and the caller's own work in one round trip (all fail
    // closed). Only proofs signed by the token's own key get this far, so a forged proof never fills the
    // replay cache.
    const [status, first] = await Promise.all([
      inspect(identity),
      firstUse(dpop, verified.jkt, verified.jti),
      alongside?.(identity),
    ]);
    if (!first) throw new TokenVerificationError('invalid_dpop_proof', { reason: 'replayed' });
    // The replay cache lives in Redis, which may have lost it (an empty restart, a flush) until the
    // revocation state was restored: a proof from before that moment may have been seen there already.
    // Its client retries with a fresh proof (503 + Retry-After) — a few seconds after a restore only.
    if (
      status.restoredAt !== null &&
      verified.iat <= Math.floor(status.restoredAt / 1000) + clockToleranceSec
    ) {
      throw new TokenVerificationError('revocation_unavailable', { reason: 'dpop_proof_before_restore' });
    }
    return identity;
  }

  return {
    audience,
    verify,
    authenticate,
    dpopRequired: dpop?.mode === 'required',
    dpopSupported: dpop !== undefined,
  };
}

function fail(option: string, problem: string): never {
  throw new TypeError(`@bff-auth/token-verifier: option "${option}" ${problem}`);
}

function requireString(option: string, value: unknown) {
  if (typeof value !== 'string' || value.length === 0) fail(option, 'must be a non-empty string');
}

function parseUrl(value: string): URL {
  try {
    return new URL(value);
  } catch {
    return fail('jwksUrl', `is not a URL: ${value}`);
  }
}
