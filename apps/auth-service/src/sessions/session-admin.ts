import type { RevocationStore } from '@bff-auth/revocation';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../oidc/artifact-store';
import type { ProviderHost } from '../oidc/provider-host';

export interface UserSession {
  /** The provider session's id. */
  sid: string;
  /** Clients signed in through this session. */
  clients: string[];
  /** The `sid` claim each client sees in its tokens. */
  clientSids: Record<string, string>;
  createdAt: string;
  expiresAt: string | null;
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
  logger: Logger;
}

/** Lists and ends a user's sessions at the provider, and writes the revocation keys of SPEC §3. */
export function createSessionAdmin({ artifacts, host, revocation, logger }: SessionAdminDeps) {
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

  return {
    async list(userId: string): Promise<UserSession[]> {
      return (await storedSessions(userId))
        .map(({ session }) => {
          const clientSids = Object.fromEntries(
            Object.entries(session.authorizations ?? {}).flatMap(([client, a]) =>
              a.sid ? [[client, a.sid]] : [],
            ),
          );
          return {
            sid: session.uid,
            clients: Object.keys(clientSids),
            clientSids,
            createdAt: new Date((session.loginTs ?? 0) * 1000).toISOString(),
            expiresAt: session.exp ? new Date(session.exp * 1000).toISOString() : null,
          };
        })
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    /**
     * Ends every session and grant of the user: provider sessions destroyed, refresh tokens revoked,
     * each client `sid` and the user's not-before written to Redis, back-channel logout sent to the
     * clients, `session-revoked` published. Returns how many provider sessions were ended.
     */
    async revokeAll(userId: string): Promise<number> {
      // Not-before first: from this instant no token of the user passes, whatever happens next.
      await revocation.setUserNotBefore(userId);
      const sessions = await storedSessions(userId);
      const notify: { clientId: string; sid: string }[] = [];
      for (const { id, session } of sessions) notify.push(...(await endStoredSession(userId, id, session)));
      for (const grantId of await artifacts.idsByAccount('Grant', userId)) await revokeGrant(grantId);

      await revocation.publish({ type: 'session-revoked', userId });
      void sendBackchannelLogouts(userId, notify);
      return sessions.length;
    },

    /**
     * Ends the one provider session in which `clientId` holds `sid` (a sign-out that could not reach the
     * provider, retried): its grants revoked, every client `sid` of it recorded as revoked, back-channel
     * logout sent to its other clients. Returns false when no such session is alive (already ended).
     */
    async endSessionOfClient(userId: string, clientId: string, sid: string): Promise<boolean> {
      const found = (await storedSessions(userId)).find(
        ({ session }) => session.authorizations?.[clientId]?.sid === sid,
      );
      if (!found) return false;
      const ended = await endStoredSession(userId, found.id, found.session);
      await revocation.publish({ type: 'logout', userId, sid });
      void sendBackchannelLogouts(
        userId,
        ended.filter((target) => target.clientId !== clientId),
      );
      return true;
    },
  };

  /** Records the session's client sids as revoked, revokes its grants and destroys it. */
  async function endStoredSession(userId: string, id: string, session: StoredSession) {
    const ended: { clientId: string; sid: string }[] = [];
    for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
      if (authorization.sid) {
        await revocation.revokeSession(userId, authorization.sid);
        ended.push({ clientId, sid: authorization.sid });
      }
      if (authorization.grantId) await revokeGrant(authorization.grantId);
    }
    await artifacts.destroy('Session', id);
    return ended;
  }

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
