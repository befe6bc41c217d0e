import { calculateJwkThumbprint, EmbeddedJWK, type JWSHeaderParameters } from 'jose';
import { LRUCache } from 'lru-cache';

/** Proof keys remembered per API process: one per BFF session that called it lately. */
export const DEFAULT_PROOF_KEY_CACHE_SIZE = 10_000;

/** A DPoP proof's public key, imported, and its JWK thumbprint (RFC 7638), what `cnf.jkt` names. */
export interface ProofKey {
  key: CryptoKey;
  jkt: string;
}

/**
 * The key of a proof's `jwk` header, imported once per key rather than per request: a session's BFF sends
 * the same key with every proof, and importing it (WebCrypto) costs more than verifying the signature.
 * Each key is read by jose's `EmbeddedJWK` — the same checks as without the cache (a public, asymmetric
 * key fit for `alg`) — and remembered under the exact `alg` and `jwk` it was read from, so a hit is what
 * a fresh import would have answered. Bounded (LRU): keys made up by a caller only push out old ones.
 * A key that fails the checks is not remembered; the error is what `EmbeddedJWK` threw.
 */
export function createProofKeyCache({ max = DEFAULT_PROOF_KEY_CACHE_SIZE }: { max?: number } = {}) {
  const cache = new LRUCache<string, Promise<ProofKey>>({ max });
  return function proofKey(header: JWSHeaderParameters): Promise<ProofKey> {
    const id = JSON.stringify([header.alg, header.jwk]);
    let entry = cache.get(id);
    if (!entry) {
      const read = (async () => ({
        key: await EmbeddedJWK(header),
        jkt: await calculateJwkThumbprint(header.jwk!, 'sha256'),
      }))();
      entry = read;
      cache.set(id, read);
      read.catch(() => {
        if (cache.get(id) === read) cache.delete(id);
      });
    }
    return entry;
  };
}

export type ProofKeyCache = ReturnType<typeof createProofKeyCache>;
