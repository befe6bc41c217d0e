import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import type { ProviderHost } from '../oidc/provider-host';

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

/** Which session a confidential client proved it holds, or the OAuth-style error to answer. */
export type ClientSessionProof =
  | { ok: true; clientId: string; accountId: string; sid: string }
  | { ok: false; status: 400 | 401; error: 'invalid_client' | 'invalid_request'; description: string };

/**
 * The proof behind the server-to-server logout endpoints: the client authenticates (client_secret_basic)
 * and presents the ID token of the session it is ending (`id_token_hint`, form-encoded), which names the
 * account and the client's `sid`. Signature, issuer and audience (this client) are checked; an expired ID
 * token still proves which session the client holds (oidc-provider treats id_token_hint the same way).
 */
export async function proveClientSession(
  host: ProviderHost,
  authorization: string | undefined,
  body: unknown,
): Promise<ClientSessionProof> {
  const credentials = basicCredentials(authorization);
  const client = credentials
    ? await host.provider.Client.find(credentials.id).catch(() => undefined)
    : undefined;
  const secret = client?.clientSecret;
  if (!credentials || !client || !secret || !timingSafeEqual(digest(secret), digest(credentials.secret))) {
    return { ok: false, status: 401, error: 'invalid_client', description: 'client authentication failed' };
  }
  const parsed = form.safeParse(body);
  if (!parsed.success) {
    return { ok: false, status: 400, error: 'invalid_request', description: 'id_token_hint is required' };
  }
  let claims: { sub?: unknown; sid?: unknown };
  try {
    claims = (await host.provider.IdToken.validate(parsed.data.id_token_hint, client)).payload;
  } catch {
    return { ok: false, status: 400, error: 'invalid_request', description: 'id_token_hint is not valid' };
  }
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
    return {
      ok: false,
      status: 400,
      error: 'invalid_request',
      description: 'id_token_hint names no session',
    };
  }
  return { ok: true, clientId: client.clientId, accountId: claims.sub, sid: claims.sid };
}

/**
 * A server-to-server logout endpoint's common part: `no-store`, the client's proof read from the request,
 * and the OAuth-style refusal (with `WWW-Authenticate` for a 401). `handle` runs only for a valid proof.
 */
export async function withClientSession(
  c: Context,
  host: ProviderHost,
  realm: string,
  handle: (proof: Extract<ClientSessionProof, { ok: true }>) => Promise<Response>,
): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const proof = await proveClientSession(
    host,
    c.req.header('authorization'),
    await c.req.parseBody().catch(() => ({})),
  );
  if (!proof.ok) {
    if (proof.status === 401) c.header('WWW-Authenticate', `Basic realm="${realm}"`);
    return c.json({ error: proof.error, error_description: proof.description }, proof.status);
  }
  return handle(proof);
}
