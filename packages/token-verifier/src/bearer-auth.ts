import { failure } from '@bff-auth/service-kit/http';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { Context, MiddlewareHandler } from 'hono';
import type { AccessTokenIdentity } from './access-token-identity';
import { DEFAULT_MAX_TOKEN_LENGTH } from './constants';
import { TokenVerificationError } from './errors';
import { parseBearer } from './parse-bearer';
import type { TokenVerifier } from './token-verifier';

/**
 * Hono environment of routes behind bearerAuth: `c.var.auth` is the verified caller, `c.var.accessToken`
 * the verified token itself (to exchange it for a call made on the caller's behalf, RFC 8693; never log it).
 */
export type AuthEnv = { Variables: { auth: AccessTokenIdentity; accessToken: string } };

export interface BearerAuthOptions {
  /** Longest token read; longer ones get 401 without parsing. Default DEFAULT_MAX_TOKEN_LENGTH (8192). */
  maxTokenLength?: number;
  /** Refusals are logged here (code, reason, request id; never the token). */
  logger?: Logger;
  /** Counts requests refused because the revocation state could not be read (the fail-closed metric). */
  onRevocationFailClosed?: () => void;
}

/** Seconds a client should wait before retrying after a 503 (Redis or JWKS unavailable). */
export const RETRY_AFTER_UNAVAILABLE_SEC = 1;

/**
 * Hono middleware: requires `Authorization: Bearer <access token>`, verifies it and sets `c.var.auth`.
 * The caller's identity comes only from the token; headers such as X-User-ID are never read.
 * Refusals use the service-kit error envelope: 401 with `WWW-Authenticate: Bearer error="invalid_token"`,
 * or 503 with `Retry-After` when the token cannot be checked (fail closed).
 */
export function bearerAuth(
  verifier: TokenVerifier,
  { maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH, logger, onRevocationFailClosed }: BearerAuthOptions = {},
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const parsed = parseBearer(c.req.header('authorization'), maxTokenLength);
    if (!parsed.ok) {
      const code = parsed.problem === 'missing' ? 'missing_token' : 'invalid_token';
      return refuse(c, new TokenVerificationError(code, { reason: parsed.problem }), logger);
    }
    let identity: AccessTokenIdentity;
    try {
      identity = await verifier.verify(parsed.token);
    } catch (error) {
      if (error instanceof TokenVerificationError) {
        if (error.code === 'revocation_unavailable') onRevocationFailClosed?.();
        return refuse(c, error, logger);
      }
      throw error;
    }
    c.set('auth', identity);
    c.set('accessToken', parsed.token);
    await next();
  };
}

function refuse(c: Context, error: TokenVerificationError, logger: Logger | undefined) {
  const requestId = c.get('requestId');
  if (error.status === 503) {
    logger?.warn({ requestId, code: error.code, reason: error.reason }, 'access token check unavailable');
    c.header('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SEC));
  } else {
    logger?.info({ requestId, code: error.code, reason: error.reason }, 'access token refused');
    // RFC 6750 §3: no error attribute when the request had no credentials at all.
    c.header('WWW-Authenticate', error.code === 'missing_token' ? 'Bearer' : 'Bearer error="invalid_token"');
  }
  return failure(c, error.status, error.code, error.message);
}
