import { LRUCache } from 'lru-cache';
import type { AccessTokenIdentity } from './access-token-identity';

/** Tokens remembered per API process. A caller's BFF sends the same access token until it refreshes. */
export const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * How long a verified token is remembered, ms. Bounds how long a token signed by a key the issuer has
 * since withdrawn keeps passing without a new signature check — well inside the ten minutes for which the
 * key set itself is cached (DEFAULT_JWKS_CACHE_MAX_AGE_MS).
 */
export const DEFAULT_VERIFIED_TOKEN_TTL_MS = 60_000;

export interface VerifiedTokenCache {
  /** The identity of a token verified lately, if it has not expired since; else undefined. */
  get(token: string): AccessTokenIdentity | undefined;
  /** Remembers a token whose signature and claims were just verified (the identity is frozen). */
  set(token: string, identity: AccessTokenIdentity): void;
}

/**
 * The signature and claims of an access token give the same answer on every request that carries it,
 * except for its expiry, so they are checked once per token (by its exact text) and the identity read
 * from it is kept: every later request re-checks `exp` only, with the same clock tolerance as jose
 * (`nbf` and `iat` can only become more valid with time). What changes between requests — revocation,
 * the user's last role change, DPoP proofs — is checked on every request as before. Only tokens that
 * passed every check enter, and the cache is bounded (LRU), so made-up tokens cannot grow it.
 */
export function createVerifiedTokenCache({
  max = DEFAULT_VERIFIED_TOKEN_CACHE_SIZE,
  ttlMs = DEFAULT_VERIFIED_TOKEN_TTL_MS,
  clockToleranceSec,
  now = Date.now,
}: {
  max?: number;
  ttlMs?: number;
  clockToleranceSec: number;
  /** Epoch ms; replaceable in tests. */
  now?: () => number;
}): VerifiedTokenCache {
  const cache = new LRUCache<string, { identity: AccessTokenIdentity; until: number }>({ max });
  return {
    get(token) {
      const entry = cache.get(token);
      if (!entry) return undefined;
      const at = now();
      // jose's rule: expired when exp <= now − tolerance.
      if (at >= entry.until || entry.identity.expiresAt <= Math.floor(at / 1000) - clockToleranceSec) {
        cache.delete(token);
        return undefined;
      }
      return entry.identity;
    },
    set(token, identity) {
      Object.freeze(identity.roles);
      Object.freeze(identity.scope);
      cache.set(token, { identity: Object.freeze(identity), until: now() + ttlMs });
    },
  };
}
