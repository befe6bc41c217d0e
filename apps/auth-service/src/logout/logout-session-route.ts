import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { ProviderHost } from '../oidc/provider-host';
import type { SessionAdmin } from '../sessions/session-admin';
import { proveClientSession } from './client-session-proof';

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
  app.post(LOGOUT_SESSION_PATH, async (c) => {
    c.header('Cache-Control', 'no-store');
    const proof = await proveClientSession(
      host,
      c.req.header('authorization'),
      await c.req.parseBody().catch(() => ({})),
    );
    if (!proof.ok) {
      if (proof.status === 401) c.header('WWW-Authenticate', 'Basic realm="logout-session"');
      return c.json({ error: proof.error, error_description: proof.description }, proof.status);
    }
    const ended = await sessions.endSessionOfClient(proof.accountId, proof.clientId, proof.sid);
    logger.info(
      { requestId: c.get('requestId'), clientId: proof.clientId, ended },
      'provider session ended by its client',
    );
    return c.json({ ended });
  });
  return app;
}
