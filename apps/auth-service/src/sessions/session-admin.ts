import type { RevocationStore } from '@bff-auth/revocation';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../oidc/artifact-store';
import type { ProviderHost } from '../oidc/provider-host';
import type { SessionDevices } from './session-devices';

export interface UserSession {
  /** The provider session's id. */
  sid: string;
  /** Clients signed in through this session. */
  clients: string[];
  /** The `sid` claim each client sees in its tokens. */
  clientSids: Record<string, string>;
  createdAt: string;
  expiresAt: string | null;
  /** The browser's User-Agent at its last authorization, empty when unknown (`session_devices`). */
  userAgent: string;
  /** The last sign-in, SSO visit or token refresh of the session (its start when never used since). */
  lastSeenAt: string;
}

interface StoredSession {
  uid: string;
  accountId?: string;
  loginTs?: number;
  exp?: number;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

export interface SessionAdminDeps {
  artifacts: ArtifactStore;
  host: ProviderHost;
  revocation: RevocationStore;
  devices: SessionDevices;
  logger: Logger;
}

/** Lists and ends a user's sessions at the provider, and writes the revocation keys of SPEC §3. */
export function createSessionAdmin({ artifacts, host, revocation, devices, logger }: SessionAdminDeps) {
  async function storedSessions(userId: string) {
    const sessions: { id: string; session: StoredSession }[] = [];
    for (const id of await artifacts.idsByAccount('Session', userId)) {
      const session = (await artifacts.find('Session', id)) as StoredSession | undefined;
      if (session?.accountId === userId) sessions.push({ id, session });
    }
    return sessions;
  }

  async function revokeGrant(grantId: string) {
    await host.provider.Grant.adapter.revokeByGrantId(grantId);
    await host.provider.Grant.adapter.destroy(grantId);
  }

  /**
   * Ends these sessions: client `sid`s revoked first (fail closed), then grants and the sessions, then
   * back-channel logout. `announceEach` publishes `session-revoked` per `sid`, so only those sessions'
   * pages leave (the caller announces otherwise).
   */
  async function endSessions(
    userId: string,
    sessions: { id: string; session: StoredSession }[],
    { announceEach = true } = {},
  ) {
    const notify: { clientId: string; sid: string }[] = [];
    for (const { id, session } of sessions) {
      for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
        if (authorization.sid) {
          await revocation.revokeSession(userId, authorization.sid);
          notify.push({ clientId, sid: authorization.sid });
        }
        if (authorization.grantId) await revokeGrant(authorization.grantId);
      }
      await artifacts.destroy('Session', id);
      await devices.forget(session.uid).catch((err) => logger.warn({ err }, 'session device not forgotten'));
    }
    if (announceEach) {
      for (const { sid } of notify) await revocation.publish({ type: 'session-revoked', userId, sid });
    }
    void sendBackchannelLogouts(userId, notify);
  }

  return {
    async list(userId: string): Promise<UserSession[]> {
      const seen = await devices.forAccount(userId);
      return (await storedSessions(userId))
        .map(({ session }) => {
          const clientSids = Object.fromEntries(
            Object.entries(session.authorizations ?? {}).flatMap(([client, a]) =>
              a.sid ? [[client, a.sid]] : [],
            ),
          );
          const createdAt = new Date((session.loginTs ?? 0) * 1000).toISOString();
          const device = seen.get(session.uid);
          return {
            sid: session.uid,
            clients: Object.keys(clientSids),
            clientSids,
            createdAt,
            expiresAt: session.exp ? new Date(session.exp * 1000).toISOString() : null,
            userAgent: device?.userAgent ?? '',
            lastSeenAt: device && device.lastSeenAt > createdAt ? device.lastSeenAt : createdAt,
          };
        })
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    /**
     * Ends one provider session of the user (by its uid, the `sid` of `list`): its clients' `sid`s
     * revoked in Redis, its grants and refresh tokens ended, back-channel logout sent, one
     * `session-revoked` per client `sid` published so only that session's open pages leave.
     * Returns false when the user has no such session (someone else's uid included).
     */
    async revokeOne(userId: string, sessionUid: string): Promise<boolean> {
      const target = (await storedSessions(userId)).find(({ session }) => session.uid === sessionUid);
      if (!target) return false;
      await endSessions(userId, [target]);
      return true;
    },

    /**
     * Ends every session of the user but the one whose client `sid` (the `sid` claim of the caller's
     * token) is `keepClientSid`. Returns how many ended.
     */
    async revokeOthers(userId: string, keepClientSid: string): Promise<number> {
      const others = (await storedSessions(userId)).filter(
        ({ session }) => !Object.values(session.authorizations ?? {}).some((a) => a.sid === keepClientSid),
      );
      await endSessions(userId, others);
      return others.length;
    },

    /**
     * Ends the one provider session in which `clientId` holds `sid` (a sign-out the BFF could not
     * complete at the provider at the time, retried): as `revokeOne`. Returns false when no such session
     * is alive any more (already ended).
     */
    async endSessionOfClient(userId: string, clientId: string, sid: string): Promise<boolean> {
      const target = (await storedSessions(userId)).find(
        ({ session }) => session.authorizations?.[clientId]?.sid === sid,
      );
      if (!target) return false;
      await endSessions(userId, [target]);
      return true;
    },

    /**
     * Ends every session and grant of the user: provider sessions destroyed, refresh tokens revoked,
     * each client `sid` and the user's not-before written to Redis, back-channel logout sent to the
     * clients, `session-revoked` published. Returns how many provider sessions were ended.
     */
    async revokeAll(userId: string): Promise<number> {
      // Not-before first: from this instant no token of the user passes, whatever happens next. Tokens
      // carry whole seconds, so the not-before covers the rest of this second (the store adds one).
      const at = Math.floor(Date.now() / 1000);
      await revocation.setUserNotBefore(userId, at);
      const sessions = await storedSessions(userId);
      await endSessions(userId, sessions, { announceEach: false });
      for (const grantId of await artifacts.idsByAccount('Grant', userId)) await revokeGrant(grantId);
      // One event for the user without a sid: every open page of theirs leaves.
      await revocation.publish({ type: 'session-revoked', userId });
      // Answer once that second is over: a sign-in after this answer (a password reset followed at once by
      // a sign-in) then gets tokens the not-before lets through.
      const wait = (at + 1) * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return sessions.length;
    },
  };

  async function sendBackchannelLogouts(userId: string, targets: { clientId: string; sid: string }[]) {
    const provider = host.provider;
    await Promise.all(
      targets.map(async ({ clientId, sid }) => {
        try {
          // backchannelLogout is public on oidc-provider's Client but missing from its type definitions.
          const client = (await provider.Client.find(clientId)) as
            | { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid: string): Promise<void> }
            | undefined;
          if (client?.backchannelLogoutUri) await client.backchannelLogout(userId, sid);
        } catch (err) {
          logger.warn({ clientId, err: (err as Error).message }, 'back-channel logout delivery failed');
        }
      }),
    );
  }
}
export type SessionAdmin = ReturnType<typeof createSessionAdmin>;
