import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';

/** How long a logout hint stays usable: the browser goes straight from the BFF to end-session. */
export const LOGOUT_HINT_TTL_SECONDS = 120;

/** Who a logout hint was issued for: the client, the account and the provider session (its `sid`). */
export interface LogoutHintRecord {
  clientId: string;
  accountId: string;
  sid: string;
}

/**
 * Whether a consumed hint names the session the browser is signing out of: the same client, account
 * and provider session. A hint issued for someone else (an attacker's own session) proves nothing here.
 */
export function hintNamesSession(
  record: LogoutHintRecord | undefined,
  current: { clientId?: string | undefined; accountId?: string | undefined; sid?: string | undefined },
): boolean {
  return (
    record !== undefined &&
    record.clientId === current.clientId &&
    record.accountId === current.accountId &&
    record.sid === current.sid
  );
}

const keyOf = (hint: string) => `logout-hint:${createHash('sha256').update(hint).digest('base64url')}`;

/**
 * Opaque, single-use logout hints (SPEC §4.4). A BFF obtains one server to server (logout-hint-route.ts)
 * and puts it in the end-session URL instead of the ID token; end-session consumes it and, when it names
 * the browser's own session, signs out without asking. Only a hash of the hint is stored, so a Redis
 * dump holds nothing a browser could present.
 */
export function createLogoutHints(redis: RedisClient, ttlSeconds = LOGOUT_HINT_TTL_SECONDS) {
  return {
    async issue(record: LogoutHintRecord): Promise<string> {
      const hint = randomBytes(32).toString('base64url');
      await redis.set(keyOf(hint), JSON.stringify(record), 'EX', ttlSeconds);
      return hint;
    },
    /** The record of `hint`, deleted in the same step (GETDEL), so a hint works once at most. */
    async consume(hint: string): Promise<LogoutHintRecord | undefined> {
      if (!/^[\w-]{43}$/.test(hint)) return undefined;
      const raw = await redis.getdel(keyOf(hint));
      return raw ? (JSON.parse(raw) as LogoutHintRecord) : undefined;
    },
  };
}
export type LogoutHints = ReturnType<typeof createLogoutHints>;
