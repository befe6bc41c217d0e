import type { Database } from '@bff-auth/db';
import { REVOCATION_TTL_SECONDS, type RevocationStore } from '@bff-auth/revocation';

type Kind = 'sid' | 'jti' | 'user_nbf' | 'user_disabled' | 'roles_changed';

interface RecordRow {
  kind: Kind;
  subject: string;
  value: string | number;
  ttl: string | number | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const RESTORE_BATCH = 500;

/**
 * The durable record of revocations in authdb, and a RevocationStore that writes it before Redis: an
 * acknowledged force logout, disable, role change, not-before or deny-listed `jti` is in PostgreSQL
 * before the caller hears "done", so an empty or failed-over Redis can be given it back (`restore`).
 */
export function createRevocationRecord({ db, store }: { db: Database; store: RevocationStore }) {
  async function put(kind: Kind, subject: string, value: number, ttlSeconds: number | null) {
    // Not-before and role-change times only move forward, whatever order two writers land in.
    await db.query(
      `INSERT INTO revocations (kind, subject, value, expires_at)
       VALUES ($1, $2, $3, CASE WHEN $4::int IS NULL THEN NULL ELSE now() + make_interval(secs => $4::int) END)
       ON CONFLICT (kind, subject) DO UPDATE SET value = GREATEST(revocations.value, EXCLUDED.value),
         expires_at = EXCLUDED.expires_at`,
      [kind, subject, value, ttlSeconds === null ? null : Math.max(1, Math.ceil(ttlSeconds))],
    );
  }

  const recorded: RevocationStore = {
    ...store,
    async revokeSession(sid, ttlSeconds = REVOCATION_TTL_SECONDS) {
      await put('sid', sid, 1, ttlSeconds);
      await store.revokeSession(sid, ttlSeconds);
    },
    async denyJti(jti, ttlSeconds) {
      await put('jti', jti, 1, ttlSeconds);
      await store.denyJti(jti, ttlSeconds);
    },
    async setUserNotBefore(userId, at = nowSeconds()) {
      await put('user_nbf', userId, at, REVOCATION_TTL_SECONDS);
      await store.setUserNotBefore(userId, at);
    },
    async setUserDisabled(userId, disabled) {
      if (disabled) await put('user_disabled', userId, 1, null);
      else await db.query("DELETE FROM revocations WHERE kind = 'user_disabled' AND subject = $1", [userId]);
      await store.setUserDisabled(userId, disabled);
    },
    async markRolesChanged(userId, at = nowSeconds()) {
      await put('roles_changed', userId, at, REVOCATION_TTL_SECONDS);
      await store.markRolesChanged(userId, at);
    },
  };

  return {
    /** Use in place of the Redis-only store for every write. */
    store: recorded,
    /**
     * Writes every live revocation of the record into Redis, then declares the state complete
     * (readers fail closed until then). Idempotent. @returns how many entries were applied.
     */
    async restore(): Promise<number> {
      const { rows } = await db.query<RecordRow>(
        `SELECT kind, subject, value,
                CEIL(EXTRACT(EPOCH FROM (expires_at - now())))::int AS ttl
           FROM revocations WHERE expires_at IS NULL OR expires_at > now()`,
      );
      const apply = (row: RecordRow) => {
        const ttl = row.ttl === null ? null : Math.max(1, Number(row.ttl));
        const value = Number(row.value);
        switch (row.kind) {
          case 'sid':
            return store.revokeSession(row.subject, ttl ?? REVOCATION_TTL_SECONDS);
          case 'jti':
            return store.denyJti(row.subject, ttl ?? 1);
          case 'user_nbf':
            return store.setUserNotBefore(row.subject, value);
          case 'user_disabled':
            return store.setUserDisabled(row.subject, true);
          case 'roles_changed':
            return store.markRolesChanged(row.subject, value);
        }
      };
      // Commands on one connection are pipelined by the socket; batches bound what is in flight.
      for (let i = 0; i < rows.length; i += RESTORE_BATCH) {
        await Promise.all(rows.slice(i, i + RESTORE_BATCH).map(apply));
      }
      await store.markRestored();
      return rows.length;
    },
    /** Deletes expired entries; returns how many. */
    async deleteExpired(): Promise<number> {
      const { rows } = await db.query<{ kind: string }>(
        'DELETE FROM revocations WHERE expires_at <= now() RETURNING kind',
      );
      return rows.length;
    },
  };
}
export type RevocationRecord = ReturnType<typeof createRevocationRecord>;
