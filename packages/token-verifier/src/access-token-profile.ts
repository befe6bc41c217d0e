import { type ClaimPath, claimPathProblem, DEFAULT_ROLES_CLAIM, parseClaimPath } from '@bff-auth/claims';
import { ALWAYS_REQUIRED_CLAIMS, DEFAULT_ACCESS_TOKEN_TYPES, REQUIRED_CLAIMS } from './constants';

/**
 * What the provider's access tokens look like, where that differs between providers. The defaults are
 * our auth service's tokens (SPEC §3); another provider sets what it does differently (README "Using
 * another provider").
 */
export interface AccessTokenProfile {
  /** Accepted JOSE `typ` values, compared as jose does (case-insensitive, `application/` optional). Default ['at+jwt']. */
  types?: readonly string[] | undefined;
  /** Claims a token must carry. Default REQUIRED_CLAIMS (exp iat sub jti); `exp`, `iat` and `sub` always. */
  requiredClaims?: readonly string[] | undefined;
  /** Where the roles are (`@bff-auth/claims` path). Default `roles`. */
  rolesClaim?: string | undefined;
  /**
   * One audience per token, never an array (SPEC §3). Default true; false for providers that issue
   * audience arrays (Keycloak, Auth0) — the array must still name this API.
   */
  singleAudience?: boolean | undefined;
}

/** A checked profile, every default filled in. */
export interface ResolvedAccessTokenProfile {
  types: readonly string[];
  requiredClaims: readonly string[];
  rolesClaim: ClaimPath;
  singleAudience: boolean;
}

/** `typ` as jose compares it (RFC 7515 §4.1.9: the `application/` prefix may be left out). */
export const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

const CLAIM_NAME = /^[\x21-\x7e]{1,100}$/;
const TYP = /^[\w.+/-]{1,100}$/;

/** What is wrong with a list of accepted `typ` values, or null. */
export function typesProblem(types: readonly unknown[]): string | null {
  if (types.length === 0) return 'must name at least one typ value (at+jwt, JWT)';
  const bad = types.find((t) => typeof t !== 'string' || !TYP.test(t));
  return bad === undefined ? null : `${JSON.stringify(bad)} is not a typ value (at+jwt, JWT)`;
}

/** What is wrong with a list of required claims, or null: each a claim name, exp iat sub among them. */
export function requiredClaimsProblem(claims: readonly unknown[]): string | null {
  const bad = claims.find((c) => typeof c !== 'string' || !CLAIM_NAME.test(c));
  if (bad !== undefined) return `${JSON.stringify(bad)} is not a claim name`;
  const missing = ALWAYS_REQUIRED_CLAIMS.filter((c) => !claims.includes(c));
  return missing.length
    ? `must include ${missing.join(', ')} (${ALWAYS_REQUIRED_CLAIMS.join(', ')} always are)`
    : null;
}

/** Checks a profile once, at start-up. @throws TypeError naming the package, the option and the problem. */
export function resolveAccessTokenProfile(profile: AccessTokenProfile = {}): ResolvedAccessTokenProfile {
  const types = profile.types ?? DEFAULT_ACCESS_TOKEN_TYPES;
  const requiredClaims = profile.requiredClaims ?? REQUIRED_CLAIMS;
  const rolesClaim = profile.rolesClaim ?? DEFAULT_ROLES_CLAIM;
  if (!Array.isArray(types)) fail('types', 'must be a list');
  if (!Array.isArray(requiredClaims)) fail('requiredClaims', 'must be a list');
  for (const [option, problem] of [
    ['types', typesProblem(types)],
    ['requiredClaims', requiredClaimsProblem(requiredClaims)],
    ['rolesClaim', claimPathProblem(rolesClaim)],
  ] as const) {
    if (problem) fail(option, problem);
  }
  return {
    types: [...new Set(types.map(normalizeTyp))],
    requiredClaims: [...new Set(requiredClaims)],
    rolesClaim: parseClaimPath(rolesClaim),
    singleAudience: profile.singleAudience ?? true,
  };
}

function fail(option: string, problem: string): never {
  throw new TypeError(`@bff-auth/token-verifier: option "accessTokens.${option}" ${problem}`);
}
