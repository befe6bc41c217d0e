import { AppError } from '@bff-auth/service-kit/errors';
import type { MiddlewareHandler } from 'hono';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { ProviderHost } from '../oidc/provider-host';

export interface ClientTokenRequirement {
  host: ProviderHost;
  issuer: string;
  audience: string;
  clientId: string;
  scope: string;
}

/**
 * Hono environment of the internal API: `c.var.clientId` is the verified calling client; `c.var.actorId`
 * the user it acts for when the token was exchanged for that user (RFC 8693 `act`), else undefined.
 */
export type InternalEnv = { Variables: { clientId: string; actorId: string | undefined } };

const MAX_TOKEN_LENGTH = 8192;
const invalid = (message: string) => new AppError(401, 'invalid_token', message);

/**
 * Guards the internal API: only an access token this provider signed, for `audience`, with `scope`,
 * issued to `clientId` — by client credentials (`sub` is the client), or by token exchange for a user
 * (`sub` is the user, `act.sub` the client: see oidc/token-exchange.ts) — passes. Keys come from the
 * provider in-process.
 */
export function requireClientToken({
  host,
  issuer,
  audience,
  clientId,
  scope,
}: ClientTokenRequirement): MiddlewareHandler<InternalEnv> {
  let cached: { fingerprint: string; jwks: ReturnType<typeof createLocalJWKSet> } | undefined;
  const jwks = () => {
    const keys = host.keys;
    if (cached?.fingerprint !== keys.fingerprint) {
      cached = {
        fingerprint: keys.fingerprint,
        jwks: createLocalJWKSet({ keys: keys.published.map((k) => k.publicJwk) }),
      };
    }
    return cached.jwks;
  };

  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match || match[1]!.length > MAX_TOKEN_LENGTH) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'unauthorized', 'A client-credentials bearer token is required');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1]!, jwks(), {
        algorithms: ['RS256'],
        issuer,
        audience,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'jti', 'client_id'],
        clockTolerance: 5,
      }));
    } catch {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw invalid('The token is invalid, expired or not meant for this API');
    }
    const act = payload.act as { sub?: unknown } | undefined;
    const delegated = act !== undefined;
    const actsThroughClient =
      typeof act === 'object' && act !== null && act.sub === clientId && typeof payload.sub === 'string';
    if (
      payload.client_id !== clientId ||
      (delegated ? !actsThroughClient || payload.sub === clientId : payload.sub !== clientId)
    ) {
      throw new AppError(403, 'forbidden', 'This client may not use this API');
    }
    const scopes = String(payload.scope ?? '').split(' ');
    if (!scopes.includes(scope)) {
      c.header('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
      throw new AppError(403, 'insufficient_scope', `The token lacks the ${scope} scope`);
    }
    c.set('clientId', clientId);
    c.set('actorId', delegated ? (payload.sub as string) : undefined);
    await next();
  };
}
