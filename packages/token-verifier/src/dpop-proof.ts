import { createHash } from 'node:crypto';
import { errors, type JWSHeaderParameters, type JWTVerifyOptions, jwtVerify } from 'jose';
import { TokenVerificationError } from './errors';
import { createProofKeyCache, type ProofKey } from './proof-key-cache';

/**
 * Proof algorithms accepted (RFC 9449 §4.3: asymmetric only). What our BFFs sign with is ES256; the others
 * are what common clients use. `none` and every HMAC algorithm are refused.
 */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'] as const;

/** How old (by its `iat`) a proof may be, seconds. A proof is made per request, just before it is sent. */
export const DEFAULT_DPOP_PROOF_MAX_AGE_SEC = 60;

/**
 * Longest `DPoP` header read. A proof with an EC key is about 600 bytes plus the URL it names (an RSA key
 * adds about 400); a longer one is refused before any parsing. Node refuses headers over 16 KB anyway.
 */
export const DEFAULT_MAX_PROOF_LENGTH = 8192;

/** One request as the proof must describe it. */
export interface DpopRequest {
  /** The `DPoP` header value. */
  proof: string;
  /** The request's method, e.g. `GET`. */
  method: string;
  /** The URL the client called (scheme, host, port and path are compared; query and fragment are not). */
  url: string;
  /** The access token the request carries: the proof's `ath` must be its hash. */
  accessToken: string;
}

/** What a valid proof says: the key's thumbprint (matched against the token's `cnf.jkt`) and its id. */
export interface VerifiedDpopProof {
  jkt: string;
  jti: string;
  iat: number;
}

const invalid = (reason: string, cause?: unknown) =>
  new TokenVerificationError('invalid_dpop_proof', { reason, ...(cause ? { cause } : {}) });

/** RFC 9449 §4.3 step 9: the URIs compared without query and fragment, after syntax-based normalisation. */
function sameResource(htu: string, url: string): boolean {
  const a = URL.parse(htu);
  const b = URL.parse(url);
  return !!a && !!b && a.origin === b.origin && a.pathname === b.pathname;
}

/**
 * Checks one DPoP proof JWT (RFC 9449 §4.3) for one request: `typ: dpop+jwt`, an asymmetric algorithm, a
 * public `jwk` header whose key signed it, `htm` and `htu` naming this request, `iat` within the window
 * (and not in the future beyond the tolerance), a `jti`, and `ath` the hash of the access token. It does
 * not check replay (that needs the shared store) nor the binding to the token (the caller compares `jkt`).
 * @throws TokenVerificationError `invalid_dpop_proof`
 */
export function createDpopProofChecker({
  maxAgeSec = DEFAULT_DPOP_PROOF_MAX_AGE_SEC,
  clockToleranceSec,
  maxProofLength = DEFAULT_MAX_PROOF_LENGTH,
  proofKey = createProofKeyCache(),
}: {
  maxAgeSec?: number;
  clockToleranceSec: number;
  maxProofLength?: number;
  /** Reads (and remembers) the key of a proof's `jwk` header. Default: a new cache of this checker. */
  proofKey?: (header: JWSHeaderParameters) => Promise<ProofKey>;
}) {
  const options: JWTVerifyOptions = {
    typ: 'dpop+jwt',
    algorithms: [...DPOP_ALGORITHMS],
    maxTokenAge: maxAgeSec,
    clockTolerance: clockToleranceSec,
    requiredClaims: ['jti', 'htm', 'htu', 'iat'],
  };

  return async function checkDpopProof({
    proof,
    method,
    url,
    accessToken,
  }: DpopRequest): Promise<VerifiedDpopProof> {
    if (proof.length > maxProofLength) throw invalid('too_long');
    // One compact JWS: two headers joined by a proxy (`a, b`) or anything else fails here.
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(proof)) throw invalid('malformed');
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    let key: ProofKey | undefined;
    try {
      verified = await jwtVerify(
        proof,
        async (header) => {
          key = await proofKey(header);
          return key.key;
        },
        options,
      );
    } catch (error) {
      if (error instanceof errors.JOSEError) throw invalid(error.code, error);
      throw invalid('unreadable', error);
    }
    const { payload } = verified;
    if (payload.htm !== method) throw invalid('htm_mismatch');
    if (typeof payload.htu !== 'string' || !sameResource(payload.htu, url)) throw invalid('htu_mismatch');
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256)
      throw invalid('jti');
    const ath = createHash('sha256').update(accessToken).digest('base64url');
    if (payload.ath !== ath) throw invalid('ath_mismatch');
    // The key cache (jose's EmbeddedJWK) has already refused a private or symmetric key in the header.
    return { jkt: key!.jkt, jti: payload.jti, iat: payload.iat! };
  };
}

export type DpopProofChecker = ReturnType<typeof createDpopProofChecker>;
