/**
 * Key names of the revocation state. They are relative: every Redis connection in the system is created
 * with ioredis' `keyPrefix` (REDIS_KEY_PREFIX), so two deployments or two test runs can share one Redis.
 *
 * Every key carries the hash tag `{u:<userId>}`: on a Redis Cluster all the keys one request checks
 * (disabled, not-before, roles-changed, its session and its token) live in one slot, so the check stays
 * one MGET, one round trip, with no CROSSSLOT. That is why a session or a token is revoked by its
 * user id and its own id: every writer knows both (sign-out reads them from the session, a force logout
 * from the provider's session, a back-channel logout from the logout token's `sub` and `sid`).
 */
export const revocationKeys = {
  /** A revoked session id (`sid` claim) of the user. */
  session: (userId: string, sid: string) => `revoked:${tag(userId)}:sid:${sid}`,
  /** A logged-out access token id (`jti` claim) of the user. */
  jti: (userId: string, jti: string) => `revoked:${tag(userId)}:jti:${jti}`,
  /** Epoch seconds before which no token or session of this user is valid. */
  userNotBefore: (userId: string) => `user:${tag(userId)}:nbf`,
  /** Epoch seconds of the user's last role change: a session holding older claims must refresh. */
  userRolesChanged: (userId: string) => `user:${tag(userId)}:roles-changed`,
  /** Present while the user is disabled. */
  userDisabled: (userId: string) => `user:${tag(userId)}:disabled`,
  /**
   * Present once the revocation state in Redis is complete (written by the auth service after it
   * re-applied its durable record); readers fail closed while it is absent. No TTL.
   */
  restored: 'revocation:restored',
} as const;

/**
 * The Cluster hash tag of a user's keys. Redis hashes only what is between the first `{` and the next
 * `}`; the `u:` keeps it non-empty (an empty tag hashes the whole key), and a `}` inside an id only
 * shortens the tag equally for all of that user's keys, so they still share a slot.
 */
export const userHashTag = (userId: string) => `{u:${userId}}`;
const tag = userHashTag;

/** Name of the pub/sub channel, before the deployment prefix (ioredis does not prefix channels). */
export const AUTH_EVENTS_CHANNEL = 'auth.events';

/**
 * How long a revoked `sid` and a user's not-before time are kept: the longest a session can live
 * (7-day absolute refresh lifetime) plus a day of margin. After that every token they could reject
 * has expired on its own.
 */
export const REVOCATION_TTL_SECONDS = 8 * 24 * 60 * 60;
