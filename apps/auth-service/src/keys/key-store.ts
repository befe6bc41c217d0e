import { randomUUID } from 'node:crypto';
import type { Queryable } from '@bff-auth/db';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { KeyEncryption } from './key-encryption';

export const SIGNING_ALG = 'RS256';

export interface StoredKey {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
  activatesAt: Date;
  retiresAt: Date | null;
}

/** The keys in force at `now`: `signing` signs, `published` (signing first) are in JWKS. */
export interface KeySet {
  signing: StoredKey;
  published: StoredKey[];
  /** Changes whenever the signing key or the published set changes. */
  fingerprint: string;
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_jwk_encrypted: string;
  activates_at: Date | string;
  retires_at: Date | string | null;
}

export interface KeyStoreOptions {
  db: Queryable;
  encryption: KeyEncryption;
  now?: () => Date;
}

/** Signing keys in authdb, private halves encrypted at rest. */
export function createKeyStore({ db, encryption, now = () => new Date() }: KeyStoreOptions) {
  async function insertKey(activatesAt: Date): Promise<string> {
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
    await db.query(
      `INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_encrypted, activates_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [
        kid,
        SIGNING_ALG,
        JSON.stringify(publicJwk),
        await encryption.encrypt(JSON.stringify(privateJwk)),
        activatesAt,
      ],
    );
    return kid;
  }

  async function load(): Promise<KeySet | null> {
    const at = now();
    const { rows } = await db.query<KeyRow>(
      `SELECT kid, public_jwk, private_jwk_encrypted, activates_at, retires_at FROM signing_keys
       WHERE retires_at IS NULL OR retires_at > $1 ORDER BY activates_at DESC, created_at DESC`,
      [at],
    );
    const keys = await Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        publicJwk: row.public_jwk,
        privateJwk: JSON.parse(await encryption.decrypt(row.private_jwk_encrypted)) as JWK,
        activatesAt: new Date(row.activates_at),
        retiresAt: row.retires_at ? new Date(row.retires_at) : null,
      })),
    );
    const signing = keys.find((k) => k.activatesAt <= at);
    if (!signing) return null;
    const published = [signing, ...keys.filter((k) => k !== signing)];
    return { signing, published, fingerprint: published.map((k) => k.kid).join(',') };
  }

  return {
    load,

    /** Creates the first key, active at once, when the table is empty. Safe to call on every start. */
    async ensureKey(): Promise<void> {
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM signing_keys');
      if ((rows[0]?.n ?? 0) === 0) await insertKey(now());
    },

    /**
     * SPEC §3 rotation: the new key is published at once but signs only after `publishFor` (the JWKS
     * cache age of the verifiers); the keys it replaces stay published for `retainFor` after that,
     * until every token they signed has expired.
     */
    async rotate({ publishForMs, retainForMs }: { publishForMs: number; retainForMs: number }) {
      const activatesAt = new Date(now().getTime() + publishForMs);
      const retiresAt = new Date(activatesAt.getTime() + retainForMs);
      const kid = await insertKey(activatesAt);
      await db.query(
        `UPDATE signing_keys SET retires_at = $1
         WHERE kid <> $2 AND retires_at IS NULL`,
        [retiresAt, kid],
      );
      return { kid, activatesAt, retiresAt };
    },
  };
}
export type KeyStore = ReturnType<typeof createKeyStore>;
