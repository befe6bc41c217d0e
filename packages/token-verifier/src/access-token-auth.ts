import { AppError } from '@bff-auth/service-kit/errors';
import { failure } from '@bff-auth/service-kit/http';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { Context, MiddlewareHandler } from 'hono';
import type { AccessTokenIdentity } from './access-token-identity';
import { authChallenge } from './auth-challenge';
import { DEFAULT_MAX_TOKEN_LENGTH } from './constants';
import { TokenVerificationError } from './errors';
import { type AuthorizationScheme, parseAuthorization } from './parse-authorization';
import type { RateLimitDecision, UserRateLimiter } from './rate-limit';
import type { TokenVerifier } from './token-verifier';

/**
 * Hono environment of routes behind accessTokenAuth: `c.var.auth` is the verified caller, `c.var.accessToken`
 * the verified token itself (to exchange it for a call made on the caller's behalf, RFC 8693; never log it),
 * `c.var.authScheme` the scheme it came with (a later refusal challenges in it: authChallenge).
 */
export type AuthEnv = {
  Variables: { auth: AccessTokenIdentity; accessToken: string; authScheme: AuthorizationScheme };
};

export interface AccessTokenAuthOptions {
  /** Longest token read; longer ones get 401 without parsing. Default DEFAULT_MAX_TOKEN_LENGTH (8192). */
  maxTokenLength?: number;
  /** Refusals are logged here (code, reason, request id; never the token). */
  logger?: Logger;
  /** Counts requests refused because the revocation state could not be read (the fail-closed metric). */
  onRevocationFailClosed?: () => void;
  /**
   * The per-user request limit (`createUserRateLimiter`), counted in the same Redis round trip as the
   * revocation read once the token passed its own checks: 429 with `Retry-After` over the limit,
   * `RateLimit-Limit`/`RateLimit-Remaining` under it, 503 when Redis fails (fail closed).
   */
  rateLimit?: UserRateLimiter;
}

/** Seconds a client should wait before retrying after a 503 (Redis or JWKS unavailable). */
export const RETRY_AFTER_UNAVAILABLE_SEC = 1;

/**
 * Hono middleware: requires `Authorization: Bearer <access token>` or, with DPoP (RFC 9449),
 * `Authorization: DPoP <access token>` plus a `DPoP` proof header; verifies them and sets `c.var.auth`
 * (and `accessToken`, `authScheme`).
 * The caller's identity comes only from the token; headers such as X-User-ID are never read.
 * Refusals use the service-kit error envelope: 401 with a `WWW-Authenticate` challenge of the scheme the
 * verifier expects, or 503 with `Retry-After` when the token cannot be checked (fail closed).
 */
export function accessTokenAuth(
  verifier: TokenVerifier,
  {
    maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH,
    logger,
    onRevocationFailClosed,
    rateLimit,
  }: AccessTokenAuthOptions = {},
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const parsed = parseAuthorization(c.req.header('authorization'), maxTokenLength);
    if (!parsed.ok) {
      const code = parsed.problem === 'missing' ? 'missing_token' : 'invalid_token';
      return refuse(
        c,
        verifier,
        undefined,
        new TokenVerificationError(code, { reason: parsed.problem }),
        logger,
      );
    }
    let identity: AccessTokenIdentity;
    let counted: Promise<RateLimitDecision | { failed: unknown }> | undefined;
    const count = rateLimit
      ? (who: AccessTokenIdentity) => {
          // Never rejects: a Redis failure of the limiter is answered below, after the token's own verdict.
          counted = rateLimit.consume(who.userId).catch((failed: unknown) => ({ failed }));
          return counted;
        }
      : undefined;
    try {
      identity = await verifier.authenticate(
        {
          scheme: parsed.scheme,
          token: parsed.token,
          proof: c.req.header('dpop'),
          method: c.req.method,
          url: c.req.url,
        },
        count,
      );
    } catch (error) {
      if (error instanceof TokenVerificationError) {
        if (error.code === 'revocation_unavailable') onRevocationFailClosed?.();
        return refuse(c, verifier, parsed.scheme, error, logger);
      }
      throw error;
    }
    c.set('auth', identity);
    c.set('accessToken', parsed.token);
    c.set('authScheme', parsed.scheme);
    if (rateLimit && counted) {
      const decision = await counted;
      if ('failed' in decision) {
        logger?.warn({ requestId: c.get('requestId'), err: decision.failed }, 'rate limiter unavailable');
        throw new AppError(503, 'service_unavailable', 'Service temporarily unavailable', {
          cause: decision.failed,
        });
      }
      if (decision.limited) {
        c.header('Retry-After', String(decision.retryAfterSec));
        return failure(c, 429, 'rate_limited', 'Too many requests; try again later');
      }
      c.header('RateLimit-Limit', String(rateLimit.points));
      c.header('RateLimit-Remaining', String(decision.remaining));
    }
    await next();
  };
}

/**
 * The challenge of a 401 (RFC 6750 §3, RFC 9449 §7.1): in the scheme the request used, or the one the API
 * requires; no error attribute when the request had no credentials at all.
 */
function challenge(
  verifier: TokenVerifier,
  scheme: AuthorizationScheme | undefined,
  error: TokenVerificationError,
) {
  const params =
    error.code === 'missing_token'
      ? {}
      : { error: error.code === 'invalid_dpop_proof' ? 'invalid_dpop_proof' : 'invalid_token' };
  const dpop = authChallenge('dpop', params);
  const bearer = authChallenge('bearer', params);
  if (!verifier.dpopSupported) return bearer;
  if (verifier.dpopRequired || scheme === 'dpop') return dpop;
  if (scheme === 'bearer') return bearer;
  return `${bearer}, ${dpop}`;
}

function refuse(
  c: Context,
  verifier: TokenVerifier,
  scheme: AuthorizationScheme | undefined,
  error: TokenVerificationError,
  logger: Logger | undefined,
) {
  const requestId = c.get('requestId');
  if (error.status === 503) {
    logger?.warn({ requestId, code: error.code, reason: error.reason }, 'access token check unavailable');
    c.header('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SEC));
  } else {
    logger?.info({ requestId, code: error.code, reason: error.reason }, 'access token refused');
    c.header('WWW-Authenticate', challenge(verifier, scheme, error));
  }
  return failure(c, error.status, error.code, error.message);
}
