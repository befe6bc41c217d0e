import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '@bff-auth/db';
import { isUuid } from '../users/user-store';

/** How long a reset link works (SPEC §12). */
export const RESET_LINK_TTL_MS = 30 * 60_000;

/** A token is 32 random bytes, base64url: exactly 43 characters of this alphabet. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The reset links of authdb: only each token's SHA-256 is stored. The clock (`now`) is the service's,
 * so tests move it past the 30 minutes instead of waiting.
 */
export function createResetTokens(now: () => number = Date.now) {
  return {
    /** A new link's token for `userId` (the only time it exists in clear). */
    async issue(db: Queryable, userId: string): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await db.query(
        'INSERT INTO password_reset_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)',
        [hashOf(token), userId, new Date(now() + RESET_LINK_TTL_MS)],
      );
      return token;
    },

    /** The user a token resets, while it is unused and unexpired; undefined for anything else. */
    async peek(db: Queryable, token: string): Promise<string | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const { rows } = await db.query<{ user_id: string }>(
        'SELECT user_id FROM password_reset_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
        [hashOf(token), new Date(now())],
      );
      return rows[0]?.user_id;
    },

    /**
     * Uses the token inside the caller's transaction: marks it used in one statement (so two requests
     * with the same link cannot both pass) and every other open link of the user with it. Returns the
     * user, or undefined when the token is unknown, used or expired.
     */
    async consume(tx: Queryable, token: string): Promise<string | undefined> {
      if (!TOKEN_SHAPE.test(token)) return undefined;
      const at = new Date(now());
      const { rows } = await tx.query<{ user_id: string }>(
        `UPDATE password_reset_tokens SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
        [hashOf(token), at],
      );
      const userId = rows[0]?.user_id;
      if (!userId || !isUuid(userId)) return undefined;
      await tx.query('UPDATE password_reset_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [
        userId,
        at,
      ]);
      return userId;
    },

    /** Deletes links that can no longer be used (the periodic sweep). */
    async deleteExpired(db: Queryable): Promise<void> {
      await db.query('DELETE FROM password_reset_tokens WHERE expires_at < $1', [
        new Date(now() - RESET_LINK_TTL_MS),
      ]);
    },
  };
}
export type ResetTokens = ReturnType<typeof createResetTokens>;
