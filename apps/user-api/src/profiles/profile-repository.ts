import type { Queryable } from '@bff-auth/db';
import type { AccessTokenIdentity } from '@bff-auth/token-verifier';
import { DEFAULT_LOCALE, initialProfile, type Profile, type ProfileUpdate } from './profile';

interface ProfileRow {
  first_name: string;
  last_name: string;
  display_name: string;
  locale: string;
  updated_at: Date | string;
}

const COLUMNS = 'first_name, last_name, display_name, locale, updated_at';
/** The hot query (every GET): a prepared statement on PostgreSQL (ignored by PGlite). */
const FIND_SQL = `SELECT ${COLUMNS} FROM profiles WHERE user_id = $1`;
const FIND = { name: 'user_api_profile_by_user' } as const;

const toProfile = (row: ProfileRow): Profile => ({
  firstName: row.first_name,
  lastName: row.last_name,
  displayName: row.display_name,
  locale: row.locale,
  updatedAt: new Date(row.updated_at).toISOString(),
});

export interface ProfileRepository {
  /** The caller's profile, created from the token claims on first access. */
  getOrCreate(identity: AccessTokenIdentity): Promise<Profile>;
  /** Changes the given fields of the caller's profile (created first if needed). */
  update(identity: AccessTokenIdentity, update: ProfileUpdate): Promise<Profile>;
}

/** Profiles in apidb. Every query is keyed by the verified `sub`; nothing else selects a row. */
export function createProfileRepository(db: Queryable): ProfileRepository {
  const find = async (userId: string) => {
    const { rows } = await db.query<ProfileRow>(FIND_SQL, [userId], FIND);
    return rows[0] ? toProfile(rows[0]) : undefined;
  };

  const getOrCreate = async (identity: AccessTokenIdentity) => {
    const existing = await find(identity.userId);
    if (existing) return existing;
    const first = initialProfile(identity);
    // Two first requests at once: one insert wins, the other reads its row.
    await db.query(
      `INSERT INTO profiles (user_id, first_name, last_name, display_name, locale)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING`,
      [identity.userId, first.firstName, first.lastName, first.displayName, DEFAULT_LOCALE],
    );
    const created = await find(identity.userId);
    if (!created) throw new Error('profile vanished right after it was created');
    return created;
  };

  return {
    getOrCreate,
    async update(identity, update) {
      await getOrCreate(identity);
      const { rows } = await db.query<ProfileRow>(
        `UPDATE profiles SET
           first_name = COALESCE($2, first_name),
           last_name = COALESCE($3, last_name),
           display_name = COALESCE($4, display_name),
           locale = COALESCE($5, locale),
           updated_at = now()
         WHERE user_id = $1
         RETURNING ${COLUMNS}`,
        [
          identity.userId,
          update.firstName ?? null,
          update.lastName ?? null,
          update.displayName ?? null,
          update.locale ?? null,
        ],
      );
      return toProfile(rows[0]!);
    },
  };
}
