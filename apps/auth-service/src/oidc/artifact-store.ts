import type { Database, Queryable } from '@bff-auth/db';
import type { AdapterPayload } from 'oidc-provider';
import { threeWayMerge } from './three-way-merge';

/**
 * The provider models whose loss would sign people out: kept in PostgreSQL (authdb), not in Redis.
 * Keycloak 26 made persistent user sessions its default for the same reason. They are read once per
 * sign-in, refresh or sign-out, never per API request, so the database carries them easily and there is
 * no cache to keep coherent.
 */
export const DURABLE_MODELS: ReadonlySet<string> = new Set(['Session', 'Grant', 'RefreshToken']);

interface Row {
  payload: string;
  consumed_at: string | number | null;
}

const toPayload = (row: Row | undefined): AdapterPayload | undefined => {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null ? payload : { ...payload, consumed: Number(row.consumed_at) };
};

/**
 * oidc-provider's ids (nanoid, base64url) — anything else names no artefact. Checked before SQL, because
 * a value from a request (a refresh token with a NUL, a lone surrogate) is not even storable as text.
 */
const ARTIFACT_ID = /^[A-Za-z0-9_-]{1,256}$/;
const storable = (id: string) => ARTIFACT_ID.test(id);

/** Rows still alive: not ended, and no expiry or one in the future. */
const ALIVE = '(destroyed_at IS NULL AND (expires_at IS NULL OR expires_at > now()))';

/**
 * An ended artefact becomes a tombstone (empty payload, kept an hour, then swept by deleteExpired) that
 * no later upsert revives: oidc-provider writes back the session a request loaded when the request ends,
 * so a sign-in racing an end-session in another tab would otherwise resurrect the ended session.
 */
const TOMBSTONE = "payload = '{}', destroyed_at = now(), expires_at = now() + interval '1 hour'";

export interface ArtifactStore {
  upsert(model: string, id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
  /**
   * Writes `payload` as a change from `base` (what the writer read): under a row lock, only what the writer
   * changed is applied to the stored payload (threeWayMerge), so a concurrent writer's change to other
   * fields is kept. Like upsert, it never revives an ended artefact.
   */
  mergeUpsert(
    model: string,
    id: string,
    base: AdapterPayload,
    payload: AdapterPayload,
    expiresIn: number,
  ): Promise<AdapterPayload | undefined>;
  find(model: string, id: string): Promise<AdapterPayload | undefined>;
  findByUid(model: string, uid: string): Promise<AdapterPayload | undefined>;
  consume(model: string, id: string): Promise<void>;
  /** Ends the artefact for good: a later upsert of the same id (a racing request's write-back) is a no-op. */
  destroy(model: string, id: string): Promise<void>;
  /** Ends every durable artefact of the grant (whatever its model), as the provider's revocation expects. */
  revokeByGrantId(grantId: string): Promise<void>;
  /** Ids of the account's live artefacts of one model (sessions and grants, for session management). */
  idsByAccount(model: string, accountId: string): Promise<string[]>;
  /** Deletes expired rows; returns how many. */
  deleteExpired(): Promise<number>;
}

/** oidc-provider storage for DURABLE_MODELS in authdb. */
export function createArtifactStore(db: Database): ArtifactStore {
  const write = (q: Queryable, model: string, id: string, payload: AdapterPayload, expiresIn: number) =>
    q.query(
      `INSERT INTO oidc_artifacts (model, id, payload, grant_id, account_id, uid, consumed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL,
                 CASE WHEN $7::int > 0 THEN now() + make_interval(secs => $7::int) END)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           account_id = EXCLUDED.account_id, uid = EXCLUDED.uid, consumed_at = NULL,
           expires_at = EXCLUDED.expires_at
         WHERE oidc_artifacts.destroyed_at IS NULL`,
      [
        model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.accountId ?? null,
        payload.uid ?? null,
        Math.max(0, Math.ceil(expiresIn ?? 0)),
      ],
    );
  return {
    async upsert(model, id, payload, expiresIn) {
      await write(db, model, id, payload, expiresIn);
    },
    mergeUpsert: (model, id, base, payload, expiresIn) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<Row & { destroyed: boolean }>(
          `SELECT payload, consumed_at, destroyed_at IS NOT NULL AS destroyed FROM oidc_artifacts
           WHERE model = $1 AND id = $2 FOR UPDATE`,
          [model, id],
        );
        const row = rows[0];
        if (row?.destroyed) return undefined;
        const merged = row
          ? (threeWayMerge(base, JSON.parse(row.payload), payload) as AdapterPayload)
          : payload;
        await write(tx, model, id, merged, expiresIn);
        return merged;
      }),
    async find(model, id) {
      if (!storable(id)) return undefined;
      const { rows } = await db.query<Row>(
        `SELECT payload, consumed_at FROM oidc_artifacts WHERE model = $1 AND id = $2 AND ${ALIVE}`,
        [model, id],
      );
      return toPayload(rows[0]);
    },
    async findByUid(model, uid) {
      if (!storable(uid)) return undefined;
      const { rows } = await db.query<Row>(
        `SELECT payload, consumed_at FROM oidc_artifacts WHERE model = $1 AND uid = $2 AND ${ALIVE} LIMIT 1`,
        [model, uid],
      );
      return toPayload(rows[0]);
    },
    async consume(model, id) {
      if (!storable(id)) return;
      await db.query(
        'UPDATE oidc_artifacts SET consumed_at = $3 WHERE model = $1 AND id = $2 AND consumed_at IS NULL',
        [model, id, Math.floor(Date.now() / 1000)],
      );
    },
    async destroy(model, id) {
      if (!storable(id)) return;
      await db.query(
        `INSERT INTO oidc_artifacts (model, id, payload, destroyed_at, expires_at)
         VALUES ($1, $2, '{}', now(), now() + interval '1 hour')
         ON CONFLICT (model, id) DO UPDATE SET ${TOMBSTONE}`,
        [model, id],
      );
    },
    async revokeByGrantId(grantId) {
      await db.query(`UPDATE oidc_artifacts SET ${TOMBSTONE} WHERE grant_id = $1 AND destroyed_at IS NULL`, [
        grantId,
      ]);
    },
    async idsByAccount(model, accountId) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM oidc_artifacts WHERE model = $1 AND account_id = $2 AND ${ALIVE}`,
        [model, accountId],
      );
      return rows.map((r) => r.id);
    },
    async deleteExpired() {
      const { rows } = await db.query<{ id: string }>(
        'DELETE FROM oidc_artifacts WHERE expires_at <= now() RETURNING id',
      );
      return rows.length;
    },
  };
}
