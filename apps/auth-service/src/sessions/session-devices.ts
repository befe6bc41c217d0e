import type { Queryable } from '@bff-auth/db';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from 'pino';

/** Longest User-Agent kept: real ones stay far below; the rest is noise or an attack. */
export const MAX_USER_AGENT_LENGTH = 512;
/** A row whose session was not used for this long is swept (longer than any refresh-token lifetime). */
export const SESSION_DEVICE_RETENTION_DAYS = 8;

export interface SessionDevice {
  userAgent: string;
  createdAt: string;
  lastSeenAt: string;
}

// A header value is bytes; keep it printable so it can never break the page or a log line.
const printable = (value: string) => value.replace(/[^\x20-\x7E]/g, '').slice(0, MAX_USER_AGENT_LENGTH);

const iso = (value: unknown) => new Date(value as string | number | Date).toISOString();

/** The `session_devices` table: the browser a provider session was started in, and its last use. */
export function createSessionDevices(db: Queryable) {
  return {
    /** A browser went through the authorization endpoint with this session (a sign-in or SSO). */
    async seen(sessionUid: string, accountId: string, userAgent: string): Promise<void> {
      await db.query(
        `INSERT INTO session_devices (session_uid, account_id, user_agent) VALUES ($1, $2, $3)
         ON CONFLICT (session_uid) DO UPDATE SET last_seen_at = now(), user_agent = EXCLUDED.user_agent
         WHERE session_devices.account_id = EXCLUDED.account_id`,
        [sessionUid, accountId, printable(userAgent)],
      );
    },
    /** A BFF refreshed tokens of this session (the user is active somewhere with it). */
    async touch(sessionUid: string): Promise<void> {
      await db.query('UPDATE session_devices SET last_seen_at = now() WHERE session_uid = $1', [sessionUid]);
    },
    async forAccount(accountId: string): Promise<Map<string, SessionDevice>> {
      const { rows } = await db.query<Record<string, unknown>>(
        'SELECT session_uid, user_agent, created_at, last_seen_at FROM session_devices WHERE account_id = $1',
        [accountId],
      );
      return new Map(
        rows.map((r) => [
          String(r.session_uid),
          { userAgent: String(r.user_agent), createdAt: iso(r.created_at), lastSeenAt: iso(r.last_seen_at) },
        ]),
      );
    },
    async forget(sessionUid: string): Promise<void> {
      await db.query('DELETE FROM session_devices WHERE session_uid = $1', [sessionUid]);
    },
    async deleteStale(): Promise<number> {
      const { rows } = await db.query<{ session_uid: string }>(
        `DELETE FROM session_devices WHERE last_seen_at < now() - make_interval(days => $1::int)
         RETURNING session_uid`,
        [SESSION_DEVICE_RETENTION_DAYS],
      );
      return rows.length;
    },
  };
}
export type SessionDevices = ReturnType<typeof createSessionDevices>;

/**
 * Feeds `session_devices` from the provider's events: every successful authorization records the
 * browser's User-Agent for its session, every refresh marks the session as seen. Best effort: a failed
 * write is logged and never fails the sign-in or the refresh.
 */
export function recordSessionDevices(provider: Provider, devices: SessionDevices, logger: Logger) {
  const failed = (err: unknown) => logger.warn({ err }, 'session device not recorded');
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const session = ctx.oidc.session;
    if (!session?.uid || !session.accountId) return;
    devices.seen(session.uid, session.accountId, ctx.get('user-agent')).catch(failed);
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const refreshed = ctx.oidc.entities.RefreshToken as { sessionUid?: string } | undefined;
    if (ctx.oidc.params?.grant_type === 'refresh_token' && refreshed?.sessionUid) {
      devices.touch(refreshed.sessionUid).catch(failed);
    }
  });
}
