import type { RedisClient } from '@bff-auth/service-kit/redis';
import { type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { BffError, errorCodes } from '../errors';
import { hashOf } from '../hash';

/** The `events` member that makes a JWT a logout token (OIDC Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Logout tokens older than this are refused, and their jti is remembered at least this long. */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 300;

/** A logout token was refused: 400 `invalid_logout_token`. */
export class InvalidLogoutTokenError extends BffError {
  constructor(reason: string, cause?: unknown) {
    super(400, errorCodes.invalidLogoutToken, `Invalid logout token: ${reason}`, { cause });
    this.name = 'InvalidLogoutTokenError';
  }
}

export interface LogoutTokenClaims {
  sub?: string | undefined;
  sid?: string | undefined;
  jti: string;
}

export interface LogoutTokenVerifierOptions {
  issuer: string;
  /** The logout token's audience: our client id. */
  clientId: string;
  /** The issuer's key set (jose createRemoteJWKSet). */
  jwks: () => Promise<JWTVerifyGetKey>;
  /** For jti replay protection (SET NX with a TTL). */
  redis: RedisClient;
  /** Separates apps sharing one Redis prefix (the client id). */
  namespace: string;
  /** Default 30. */
  clockToleranceSeconds?: number;
}

/**
 * Verifies a back-channel logout token: signature against the issuer's JWKS, `iss`, `aud` = client id,
 * `iat`, the logout `events` member, `sid` or `sub`, no `nonce`, and a `jti` never seen before.
 */
export function createLogoutTokenVerifier({
  issuer,
  clientId,
  jwks,
  redis,
  namespace,
  clockToleranceSeconds = 30,
}: LogoutTokenVerifierOptions) {
  return async function verifyLogoutToken(token: string): Promise<LogoutTokenClaims> {
    let payload: JWTPayload;
    const keys = await jwks();
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: clientId,
        requiredClaims: ['iat', 'jti'],
        maxTokenAge: LOGOUT_TOKEN_MAX_AGE_SECONDS,
        clockTolerance: clockToleranceSeconds,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      }));
    } catch (error) {
      throw new InvalidLogoutTokenError('verification failed', error);
    }
    const events = payload.events;
    if (typeof events !== 'object' || events === null || !(BACKCHANNEL_LOGOUT_EVENT in events)) {
      throw new InvalidLogoutTokenError('missing the back-channel logout event');
    }
    if ('nonce' in payload) throw new InvalidLogoutTokenError('a logout token must not carry a nonce');
    const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
    const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
    if (!sid && !sub) throw new InvalidLogoutTokenError('neither sid nor sub');
    const jti = String(payload.jti);
    const ttl =
      Math.max(
        LOGOUT_TOKEN_MAX_AGE_SECONDS,
        typeof payload.exp === 'number' ? payload.exp - Math.floor(Date.now() / 1000) : 0,
      ) + clockToleranceSeconds;
    const first = await redis.set(`bff:${namespace}:logout-jti:${hashOf(jti)}`, '1', 'EX', ttl, 'NX');
    if (first !== 'OK') throw new InvalidLogoutTokenError('replayed');
    return { sub, sid, jti };
  };
}
