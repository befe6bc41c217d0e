import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { ProviderHost } from '../oidc/provider-host';
import { withClientSession } from './client-session-proof';
import type { LogoutHints } from './logout-hints';

/** Path of the endpoint, also advertised in discovery as `logout_hint_endpoint`. */
export const LOGOUT_HINT_PATH = '/logout-hint';

/**
 * `POST /logout-hint`: a confidential client (client_secret_basic) trades the ID token of a session it
 * is ending for an opaque, single-use `logout_hint`, server to server. The ID token therefore never
 * travels through the browser (SPEC §4.4: no JWT on the way out), and end-session can tell a sign-out
 * the user started in our app (hint present, naming the browser's session) from a bare visit by a
 * foreign page (no hint: the user must click).
 *
 * Answers `{ logout_hint, expires_in }`, or an OAuth-style `{ error }` with 400/401.
 */
export function logoutHintRoute({
  host,
  hints,
  ttlSeconds,
  logger,
}: {
  host: ProviderHost;
  hints: LogoutHints;
  ttlSeconds: number;
  logger: Logger;
}) {
  const app = new Hono();
  app.post(LOGOUT_HINT_PATH, (c) =>
    withClientSession(c, host, 'logout-hint', async (proof) => {
      const hint = await hints.issue({
        clientId: proof.clientId,
        accountId: proof.accountId,
        sid: proof.sid,
      });
      logger.info({ requestId: c.get('requestId'), clientId: proof.clientId }, 'logout hint issued');
      return c.json({ logout_hint: hint, expires_in: ttlSeconds });
    }),
  );
  return app;
}
