import { randomUUID } from 'node:crypto';
import type { Queryable } from '@bff-auth/db';
import { emailKey } from './email-key';
import { emailTaken, userNotFound } from './errors';
import { hashPassword } from './passwords';

export interface User {
  id: string;
  email: string;
  name: string;
  roles: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  roles: string[];
  disabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  last_sign_in_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    disabled: row.disabled,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastSignInAt: row.last_sign_in_at ? iso(row.last_sign_in_at) : null,
  };
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  roles: string[];
}

export interface UserPage {
  items: User[];
  page: number;
  pageSize: number;
  total: number;
}

const UNIQUE_VIOLATION = '23505';
const COLUMNS = 'id, email, name, password_hash, roles, disabled, created_at, updated_at, last_sign_in_at';

/** Users of authdb. Emails are unique by their key (emailKey: NFKC, then lower case). */
export function createUserStore(db: Queryable) {
  async function one(sql: string, params: unknown[]) {
    const { rows } = await db.query<UserRow>(sql, params);
    return rows[0];
  }

  return {
    async findById(id: string): Promise<User | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await one(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
      return row && toUser(row);
    },

    /** The user and the password hash, for sign-in only; `email` in any spelling with the same emailKey. */
    async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
      const row = await one(`SELECT ${COLUMNS} FROM users WHERE email_key = $1`, [emailKey(email)]);
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    async create({ email, name, password, roles }: NewUser): Promise<User> {
      const passwordHash = await hashPassword(password);
      try {
        const row = await one(
          `INSERT INTO users (id, email, email_key, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING ${COLUMNS}`,
          [randomUUID(), email.trim(), emailKey(email), name.trim(), passwordHash, roles],
        );
        return toUser(row!);
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw emailTaken();
        throw error;
      }
    },

    async list({
      q,
      page,
      pageSize,
    }: {
      q?: string | undefined;
      page: number;
      pageSize: number;
    }): Promise<UserPage> {
      const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      const where = pattern ? 'WHERE email ILIKE $1 OR name ILIKE $1' : '';
      const params = pattern ? [pattern] : [];
      const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users ${where}`, params);
      const { rows } = await db.query<UserRow>(
        `SELECT ${COLUMNS} FROM users ${where} ORDER BY created_at, id
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, pageSize, (page - 1) * pageSize],
      );
      return { items: rows.map(toUser), page, pageSize, total: total.rows[0]?.n ?? 0 };
    },

    async update(
      id: string,
      changes: { name?: string | undefined; roles?: string[] | undefined },
    ): Promise<User> {
      if (!isUuid(id)) throw userNotFound();
      const row = await one(
        `UPDATE users SET name = COALESCE($2, name), roles = COALESCE($3, roles), updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, changes.name?.trim() ?? null, changes.roles ?? null],
      );
      if (!row) throw userNotFound();
      return toUser(row);
    },

    async setDisabled(id: string, disabled: boolean): Promise<User> {
      if (!isUuid(id)) throw userNotFound();
      const row = await one(
        `UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, disabled],
      );
      if (!row) throw userNotFound();
      return toUser(row);
    },

    /** How many enabled users hold `role`, leaving out `exceptId` (the admin rules of the internal API). */
    async countEnabledWithRole(role: string, exceptId: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE $1 = ANY(roles) AND NOT disabled AND id::text <> $2',
        [role, exceptId],
      );
      return rows[0]?.n ?? 0;
    },

    /** The password hash of an enabled user, read under a row lock when `db` is a transaction. */
    async passwordHashForUpdate(id: string): Promise<{ user: User; passwordHash: string } | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await one(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    /** Replaces the password (hashed here); the caller has checked it against the strength rule. */
    async setPassword(id: string, password: string): Promise<void> {
      if (!isUuid(id)) throw userNotFound();
      const passwordHash = await hashPassword(password);
      const { rows } = await db.query<{ id: string }>(
        `UPDATE users SET password_hash = $2, password_change_required = false, updated_at = now()
         WHERE id = $1 RETURNING id`,
        [id, passwordHash],
      );
      if (!rows[0]) throw userNotFound();
    },

    /** Whether the user must choose a new password before their next sign-in finishes. */
    async passwordChangeRequired(id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const { rows } = await db.query<{ required: boolean }>(
        'SELECT password_change_required AS required FROM users WHERE id = $1',
        [id],
      );
      return rows[0]?.required ?? false;
    },

    /** Sets the flag (an admin's "Require password change at next sign-in"); setPassword clears it. */
    async setPasswordChangeRequired(id: string, required: boolean): Promise<void> {
      if (!isUuid(id)) throw userNotFound();
      const { rows } = await db.query<{ id: string }>(
        'UPDATE users SET password_change_required = $2, updated_at = now() WHERE id = $1 RETURNING id',
        [id, required],
      );
      if (!rows[0]) throw userNotFound();
    },

    async recordSignIn(id: string): Promise<void> {
      await db.query('UPDATE users SET last_sign_in_at = now() WHERE id = $1', [id]);
    },
  };
}
export type UserStore = ReturnType<typeof createUserStore>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);
