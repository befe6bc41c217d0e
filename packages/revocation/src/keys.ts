/**
 * Key names of the revocation state. They are relative: every Redis connection in the system is created
 * with ioredis' `keyPrefix` (REDIS_KEY_PREFIX), so two deployments or two test runs can share one Redis.
 */
export const revocationKeys = {
  /** A revoked session id (`sid` claim). */
  session: (sid: string) => `revoked:sid:${sid}`,
  /** A logged-out access token id (`jti` claim). */
  jti: (jti: string) => `revoked:jti:${jti}`,
  /** Epoch seconds before which no token or session of this user is valid. */
  userNotBefore: (userId: string) => `user:nbf:${userId}`,
  /** Epoch seconds of the user's last role change: a session holding older claims must refresh. */
  userRolesChanged: (userId: string) => `user:roles-changed:${userId}`,
  /** Present while the user is disabled. */
  userDisabled: (userId: string) => `user:disabled:${userId}`,
  /**
   * Present once the revocation state in Redis is complete (written by the auth service after it
   * re-applied its durable record); readers fail closed while it is absent. No TTL.
   */
  restored: 'revocation:restored',
} as const;

/** Name of the pub/sub channel, before the deployment prefix (ioredis does not prefix channels). */
export const AUTH_EVENTS_CHANNEL = 'auth.events';

/**
 * How long a revoked `sid` and a user's not-before time are kept: the longest a session can live
 * (7-day absolute refresh lifetime) plus a day of margin. After that every token they could reject
 * has expired on its own.
 */
export const REVOCATION_TTL_SECONDS = 8 * 24 * 60 * 60;
