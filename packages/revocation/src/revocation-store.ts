import type { RedisClient } from '@bff-auth/service-kit/redis';
import { RevocationUnavailableError } from './errors';
import type { AuthEvent } from './events';
import { AUTH_EVENTS_CHANNEL, REVOCATION_TTL_SECONDS, revocationKeys } from './keys';
import { createRestoredGate } from './restored-gate';

/** What a token or a session says about itself; enough to decide whether it was revoked. */
export interface RevocationSubject {
  /** User id (`sub`). */
  userId: string;
  /** Session id (`sid`), when the token carries one. */
  sid?: string | undefined;
  /** Token id (`jti`), for access tokens. */
  jti?: string | undefined;
  /** When the token or session was issued, epoch seconds. */
  issuedAt: number;
}

export type RevocationReason = 'session_revoked' | 'token_revoked' | 'user_disabled' | 'user_logged_out';

/** What `inspect` found. */
export interface RevocationStatus {
  /** Why the subject is revoked, or null. */
  reason: RevocationReason | null;
  /** When the user's roles last changed (epoch seconds), or null. */
  rolesChangedAt: number | null;
  /**
   * When Redis was last given back the revocation state (epoch ms; 0: nothing was ever lost), or null
   * when this store does not require the restored marker. Short-lived state kept only in Redis (the DPoP
   * proofs seen) may have been lost before that moment.
   */
  restoredAt: number | null;
}

export interface RevocationStoreOptions {
  /** A connection made for commands (not a subscriber); its keyPrefix namespaces every key. */
  redis: RedisClient;
  /** The channel prefix, equal to the connection's keyPrefix (ioredis does not prefix channels). Default ''. */
  channelPrefix?: string;
  /** Clock in epoch seconds, replaceable in tests. */
  now?: () => number;
  /**
   * Fail closed (RevocationUnavailableError) while `revocationKeys.restored` is absent, i.e. while an empty
   * Redis has not been given back the durable record yet. Default true; only a store over a Redis that can
   * never lose data may turn it off.
   */
  requireRestored?: boolean;
}

export interface RevocationStore {
  /**
   * Reads every revocation key that applies to the subject in one round trip.
   * @returns the reason it is revoked, or null when it is valid.
   * @throws RevocationUnavailableError when Redis does not answer (callers answer 503: fail closed).
   */
  check(subject: RevocationSubject): Promise<RevocationReason | null>;
  /**
   * `check` plus when the user's roles last changed, still in one round trip: what a BFF needs on every
   * request to decide between "revoked", "refresh now for new roles" and "carry on".
   * @throws RevocationUnavailableError when Redis does not answer.
   */
  inspect(subject: RevocationSubject): Promise<RevocationStatus>;
  /** Revokes one session (`sid`) of the user (default TTL REVOCATION_TTL_SECONDS). */
  revokeSession(userId: string, sid: string, ttlSeconds?: number): Promise<void>;
  /** Deny-lists one access token (`jti`) of the user for the rest of its life. */
  denyJti(userId: string, jti: string, ttlSeconds: number): Promise<void>;
  /** Every token and session of the user issued before `at` (default now) stops working. */
  setUserNotBefore(userId: string, at?: number): Promise<void>;
  setUserDisabled(userId: string, disabled: boolean): Promise<void>;
  /** Records a role change, so holders of older tokens know to refresh before their next request. */
  markRolesChanged(userId: string, at?: number): Promise<void>;
  /** When the user's roles last changed (epoch seconds), or null. Throws RevocationUnavailableError. */
  rolesChangedAt(userId: string): Promise<number | null>;
  publish(event: Omit<AuthEvent, 'at'> & { at?: number }): Promise<void>;
  /** Declares the revocation state in Redis complete (after the durable record was re-applied). */
  markRestored(): Promise<void>;
  /** The full channel name, for subscribers. */
  readonly channel: string;
}

/** Creates the reader and writer of the revocation keys of SPEC §3. */
export function createRevocationStore({
  redis,
  channelPrefix = '',
  now = () => Math.floor(Date.now() / 1000),
  requireRestored = true,
}: RevocationStoreOptions): RevocationStore {
  const channel = `${channelPrefix}${AUTH_EVENTS_CHANNEL}`;
  const gate = createRestoredGate(redis);

  async function inspect({ userId, sid, jti, issuedAt }: RevocationSubject): Promise<RevocationStatus> {
    // One MGET (every key carries the user's hash tag, so on a Cluster they share one slot), with the
    // restored-marker check (at most once a second) beside it in the same round trip.
    const [values] = await Promise.all([
      redis
        .mget(
          revocationKeys.userDisabled(userId),
          revocationKeys.userNotBefore(userId),
          revocationKeys.session(userId, sid || '-'),
          revocationKeys.jti(userId, jti || '-'),
          revocationKeys.userRolesChanged(userId),
        )
        .catch((error: unknown) => {
          throw new RevocationUnavailableError(error);
        }),
      requireRestored ? gate.pending() : null,
    ]);
    const [disabled, notBefore, sessionRevoked, jtiRevoked, rolesChanged] = values;
    const rolesChangedAt = rolesChanged ? Number(rolesChanged) : null;
    let reason: RevocationReason | null = null;
    if (disabled) reason = 'user_disabled';
    else if (notBefore && issuedAt < Number(notBefore)) reason = 'user_logged_out';
    else if (sid && sessionRevoked) reason = 'session_revoked';
    else if (jti && jtiRevoked) reason = 'token_revoked';
    return { reason, rolesChangedAt, restoredAt: requireRestored ? gate.restoredAt() : null };
  }

  return {
    channel,

    async check(subject) {
      return (await inspect(subject)).reason;
    },

    inspect,

    async revokeSession(userId, sid, ttlSeconds = REVOCATION_TTL_SECONDS) {
      await redis.set(revocationKeys.session(userId, sid), '1', 'EX', ttlSeconds);
    },

    async denyJti(userId, jti, ttlSeconds) {
      await redis.set(revocationKeys.jti(userId, jti), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },

    async setUserNotBefore(userId, at = now()) {
      // A token issued in the same second as the logout must fail too, hence +1.
      await redis.set(revocationKeys.userNotBefore(userId), String(at + 1), 'EX', REVOCATION_TTL_SECONDS);
    },

    async setUserDisabled(userId, disabled) {
      if (disabled) await redis.set(revocationKeys.userDisabled(userId), '1');
      else await redis.del(revocationKeys.userDisabled(userId));
    },

    async markRolesChanged(userId, at = now()) {
      await redis.set(revocationKeys.userRolesChanged(userId), String(at), 'EX', REVOCATION_TTL_SECONDS);
    },

    async rolesChangedAt(userId) {
      try {
        const value = await redis.get(revocationKeys.userRolesChanged(userId));
        return value ? Number(value) : null;
      } catch (error) {
        throw new RevocationUnavailableError(error);
      }
    },

    markRestored: () => gate.markRestored(),

    async publish(event) {
      await redis.publish(channel, JSON.stringify({ ...event, at: event.at ?? Date.now() }));
    },
  };
}
