import { createHash, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK, SignJWT } from 'jose';

/** What one test proof may change from a well-formed one. */
export interface ProofOptions {
  htm: string;
  htu: string;
  /** Hashed into `ath`; omitted: no `ath`. */
  accessToken?: string;
  /** Default now. */
  iat?: number;
  /** Default a random UUID. */
  jti?: string;
  /** Merged into the claims (undefined removes one). */
  claims?: Record<string, unknown>;
  /** Merged into the protected header (undefined removes one). */
  header?: Record<string, unknown>;
  /** Sign with this key while the header names the client's (`jwk`): a proof from a key not its own. */
  signWith?: KeyObject;
}

/** A DPoP client key in tests: its public JWK, its thumbprint (`cnf.jkt`) and a proof maker. */
export interface DpopTestClient {
  publicJwk: JWK;
  privateKey: KeyObject;
  jkt: string;
  proof(options: ProofOptions): Promise<string>;
}

/** A DPoP key of a test client (ES256 unless told otherwise), making RFC 9449 proofs with jose. */
export async function createDpopTestClient({ alg = 'ES256' }: { alg?: 'ES256' | 'RS256' } = {}) {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const client: DpopTestClient = {
    publicJwk,
    privateKey,
    jkt: await calculateJwkThumbprint(publicJwk, 'sha256'),
    async proof({ htm, htu, accessToken, iat, jti, claims = {}, header = {}, signWith }) {
      const payload: Record<string, unknown> = {
        htm,
        htu,
        jti: jti ?? randomUUID(),
        iat: iat ?? Math.floor(Date.now() / 1000),
        ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
        ...claims,
      };
      const protectedHeader: Record<string, unknown> = { alg, typ: 'dpop+jwt', jwk: publicJwk, ...header };
      for (const o of [payload, protectedHeader])
        for (const name of Object.keys(o)) if (o[name] === undefined) delete o[name];
      return new SignJWT(payload)
        .setProtectedHeader(protectedHeader as { alg: string })
        .sign(signWith ?? privateKey);
    },
  };
  return client;
}
