import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { ProviderHost } from '../oidc/provider-host';
import type { SessionAdmin } from '../sessions/session-admin';
import { withClientSession } from './client-session-proof';

/** Path of the endpoint, also advertised in discovery as `logout_session_endpoint`. */
export const LOGOUT_SESSION_PATH = '/logout-session';

/**
 * `POST /logout-session`: a confidential client ends, server to server, the provider session its ID token
 * names (`id_token_hint`, client_secret_basic) — how a BFF completes a sign-out the provider could not be
 * reached for at the time (SPEC §7: the session died at once at the BFF; the provider side is retried).
 * The session's grants are revoked, every client `sid` of it is recorded as revoked, the other clients get
 * back-channel logout. Idempotent: `{ ended: false }` when that session is already gone.
 */
export function logoutSessionRoute({
  host,
  sessions,
  logger,
}: {
  host: ProviderHost;
  sessions: Pick<SessionAdmin, 'endSessionOfClient'>;
  logger: Logger;
}) {
  const app = new Hono();
  app.post(LOGOUT_SESSION_PATH, (c) =>
    withClientSession(c, host, 'logout-session', async (proof) => {
      const ended = await sessions.endSessionOfClient(proof.accountId, proof.clientId, proof.sid);
      logger.info(
        { requestId: c.get('requestId'), clientId: proof.clientId, ended },
        'provider session ended by its client',
      );
      return c.json({ ended });
    }),
  );
  return app;
}
