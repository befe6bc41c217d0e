import { createHash, createPrivateKey, type KeyObject, randomUUID, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { z } from 'zod';

/**
 * A session's DPoP key (RFC 9449) as the sealed session cookie keeps it: the P-256 private key's JWK
 * members. One key per session, made when the session's first tokens are requested and kept with its
 * tokens, so every instance of the BFF can prove possession for it; it never leaves the sealed cookie (and
 * the sealed parking of a refresh) and never reaches the browser in clear.
 */
export const dpopKeySchema = z.strictObject({
  x: z.string().min(1).max(64),
  y: z.string().min(1).max(64),
  d: z.string().min(1).max(64),
});
export type DpopKeyMaterial = z.infer<typeof dpopKeySchema>;

/** The only algorithm our proofs use. */
export const DPOP_ALGORITHM = 'ES256';

/** Makes a new session key. */
export async function generateDpopKey(): Promise<DpopKeyMaterial> {
  const { privateKey } = await generateKeyPair(DPOP_ALGORITHM, { extractable: true });
  const { x, y, d } = await exportJWK(privateKey);
  return { x: x!, y: y!, d: d! };
}

/** Signs for one session key: proofs for resource requests, and the key pair oauth4webapi wants. */
export interface DpopSigner {
  /** The key's JWK thumbprint: what the provider writes as the tokens' `cnf.jkt`. */
  readonly jkt: Promise<string>;
  /** A fresh proof (new `jti`, `iat` now) for one request carrying `accessToken`. `htu` has no query. */
  proof(htm: string, htu: string, accessToken: string): Promise<string>;
  /** The key as WebCrypto keys, for the token endpoint's proofs (oauth4webapi's DPoP handle). */
  keyPair(): Promise<CryptoKeyPair>;
}

const signers = new WeakMap<DpopKeyMaterial, DpopSigner>();

/**
 * The signer of a session key, made once per key object: a session read from the unseal cache reuses the
 * imported key, and the hash of its access token (`ath`) is computed once per token.
 */
export function dpopSigner(material: DpopKeyMaterial): DpopSigner {
  let signer = signers.get(material);
  if (!signer) {
    signer = createSigner(material);
    signers.set(material, signer);
  }
  return signer;
}

function createSigner({ x, y, d }: DpopKeyMaterial): DpopSigner {
  const publicJwk = { kty: 'EC', crv: 'P-256', x, y };
  let privateKey: KeyObject | undefined;
  let ath: { token: string; hash: string } | undefined;
  let pair: Promise<CryptoKeyPair> | undefined;
  const header = { alg: DPOP_ALGORITHM, typ: 'dpop+jwt', jwk: publicJwk };
  return {
    jkt: calculateJwkThumbprint(publicJwk, 'sha256'),
    proof(htm, htu, accessToken) {
      privateKey ??= createPrivateKey({ key: { ...publicJwk, d }, format: 'jwk' });
      if (ath?.token !== accessToken) {
        ath = { token: accessToken, hash: createHash('sha256').update(accessToken).digest('base64url') };
      }
      return new SignJWT({ htm, htu, ath: ath.hash, jti: randomUUID() })
        .setProtectedHeader(header)
        .setIssuedAt()
        .sign(privateKey);
    },
    keyPair() {
      pair ??= (async () => {
        const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
        const [priv, pub] = await Promise.all([
          webcrypto.subtle.importKey('jwk', { ...publicJwk, d }, algorithm, false, ['sign']),
          webcrypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']),
        ]);
        return { privateKey: priv, publicKey: pub } as CryptoKeyPair;
      })();
      return pair;
    },
  };
}
