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

/**
 * Subject of a session or token entry: its user and its own id, because the Redis keys live under the
 * user's Cluster hash tag (see @bff-auth/revocation keys) and restoring one needs both.
 */
const ownedSubject = (userId: string, id: string) => JSON.stringify([userId, id]);
const parseOwnedSubject = (subject: string): [string, string] | null => {
  try {
    const parsed = JSON.parse(subject) as unknown;
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((v) => typeof v === 'string')
      ? (parsed as [string, string])
      : null;
  } catch {
    return null;
  }
};
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
    async revokeSession(userId, sid, ttlSeconds = REVOCATION_TTL_SECONDS) {
      await put('sid', ownedSubject(userId, sid), 1, ttlSeconds);
      await store.revokeSession(userId, sid, ttlSeconds);
    },
    async denyJti(userId, jti, ttlSeconds) {
      await put('jti', ownedSubject(userId, jti), 1, ttlSeconds);
      await store.denyJti(userId, jti, ttlSeconds);
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
          case 'jti': {
            // An entry without its user (none are written so) cannot be placed under the user's tag.
            const owned = parseOwnedSubject(row.subject);
            if (!owned) return undefined;
            return row.kind === 'sid'
              ? store.revokeSession(owned[0], owned[1], ttl ?? REVOCATION_TTL_SECONDS)
              : store.denyJti(owned[0], owned[1], ttl ?? 1);
          }
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
