import { type ClaimPath, readClaim } from './claim-path';

/**
 * The user's roles as a BFF shows them: the string entries of the array at `path`, or undefined when
 * the token has no such array (so a caller can fall back to another token's claims). Lenient on
 * purpose — a BFF only displays roles and passes them on; the APIs, which decide with them, check the
 * claim strictly (`@bff-auth/token-verifier`).
 */
export function readRoles(claims: unknown, path: ClaimPath): string[] | undefined {
  const value = readClaim(claims, path);
  return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : undefined;
}
