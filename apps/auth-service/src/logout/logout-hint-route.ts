import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ProviderHost } from '../oidc/provider-host';
import type { LogoutHints } from './logout-hints';

/** Path of the endpoint, also advertised in discovery as `logout_hint_endpoint`. */
export const LOGOUT_HINT_PATH = '/logout-hint';

const form = z.object({ id_token_hint: z.string().min(1).max(8192) });

const digest = (value: string) => createHash('sha256').update(value).digest();

/** RFC 6749 §2.3.1: client_secret_basic, both parts form-urlencoded. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

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
  app.post(LOGOUT_HINT_PATH, async (c) => {
    c.header('Cache-Control', 'no-store');
    const credentials = basicCredentials(c.req.header('authorization'));
    const client = credentials
      ? await host.provider.Client.find(credentials.id).catch(() => undefined)
      : undefined;
    const secret = client?.clientSecret;
    if (!credentials || !client || !secret || !timingSafeEqual(digest(secret), digest(credentials.secret))) {
      c.header('WWW-Authenticate', 'Basic realm="logout-hint"');
      return c.json({ error: 'invalid_client', error_description: 'client authentication failed' }, 401);
    }
    const parsed = form.safeParse(await c.req.parseBody().catch(() => ({})));
    if (!parsed.success) {
      return c.json({ error: 'invalid_request', error_description: 'id_token_hint is required' }, 400);
    }
    let claims: { sub?: unknown; sid?: unknown };
    try {
      // Signature, issuer and audience (this client); an expired ID token is still a fine proof of
      // which session the client holds (oidc-provider ignores expiry for id_token_hint the same way).
      claims = (await host.provider.IdToken.validate(parsed.data.id_token_hint, client)).payload;
    } catch {
      return c.json({ error: 'invalid_request', error_description: 'id_token_hint is not valid' }, 400);
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      return c.json({ error: 'invalid_request', error_description: 'id_token_hint names no session' }, 400);
    }
    const hint = await hints.issue({ clientId: client.clientId, accountId: claims.sub, sid: claims.sid });
    logger.info({ requestId: c.get('requestId'), clientId: client.clientId }, 'logout hint issued');
    return c.json({ logout_hint: hint, expires_in: ttlSeconds });
  });
  return app;
}
