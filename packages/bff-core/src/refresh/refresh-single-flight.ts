import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { DpopKeyMaterial } from '../dpop/dpop-key';
import { AuthUnavailableError, BffError, SessionExpiredError } from '../errors';
import { hashOf } from '../hash';
import type { RefreshOutcome } from '../observe/bff-observer';
import { annotateSpan } from '../observe/in-span';
import type { TokenSet } from '../oidc/token-set';
import type { PasswordMap } from '../session/passwords';
import { createParking, type ParkedOutcome } from './parked-token-set';
import { tryLock } from './redis-lock';

/** Refresh once the access token has at most this many seconds left (SPEC §4.3). */
export const REFRESH_SKEW_SECONDS = 60;
/** Lock lease; renewed while the refresh runs. */
export const DEFAULT_LOCK_LEASE_MS = 5000;
/** How long the new tokens stay parked for requests that still carry the old refresh token. */
export const DEFAULT_PARK_TTL_SECONDS = 60;
/** How long a request waits for another instance's refresh before giving up (503). */
export const DEFAULT_REFRESH_WAIT_MS = 10_000;
const POLL_MS = 25;

export interface RefresherOptions {
  /** Command connection (with the deployment keyPrefix). */
  redis: RedisClient;
  /** Separates apps sharing one Redis prefix (the client id). */
  namespace: string;
  /** Seals parked tokens (the session passwords). */
  passwords: PasswordMap;
  /**
   * Calls the token endpoint, with the session's DPoP key when it has one.
   * @throws SessionExpiredError or AuthUnavailableError
   */
  refreshTokens: (refreshToken: string, dpopKey: DpopKeyMaterial | undefined) => Promise<TokenSet>;
  lockLeaseMs?: number;
  parkTtlSeconds?: number;
  waitTimeoutMs?: number;
  /** Told the outcome of every `refresh` call (metrics); it is also set on the active span. */
  onOutcome?: (outcome: RefreshOutcome) => void;
}

export interface Refresher {
  /**
   * Exchanges a refresh token exactly once across every request of this process and every instance
   * sharing the Redis: concurrent callers with the same token all get the same new token set.
   * @throws SessionExpiredError (401) when the grant is gone; AuthUnavailableError (503) otherwise.
   */
  refresh(refreshToken: string, dpopKey?: DpopKeyMaterial): Promise<TokenSet>;
  /** In-flight refreshes of this process, for tests. */
  readonly inFlight: number;
}

/**
 * The lock and the parking spot of one refresh token (by its hash: Redis never sees the token). Both
 * carry the hash tag `{rt:<hash>}`, so on a Cluster they share a slot: a future script may read one
 * and write the other atomically, and nothing here ever crosses slots.
 */
export const refreshKeys = (namespace: string, hash: string) => ({
  lock: `bff:${namespace}:refresh:{rt:${hash}}:lock`,
  parked: `bff:${namespace}:refresh:{rt:${hash}}:parked`,
});

/** One exchange across instances: the tokens, and whether this process called the token endpoint. */
interface Flight {
  tokens: TokenSet;
  outcome: 'refreshed' | 'adopted';
}

const adopt = (outcome: ParkedOutcome): Flight => {
  if (outcome.ok) return { tokens: outcome.tokens, outcome: 'adopted' };
  throw new SessionExpiredError();
};

/** Creates the two-level single flight of SPEC §4.3: a Map of promises, then a Redis lock with parking. */
export function createRefresher({
  redis,
  namespace,
  passwords,
  refreshTokens,
  lockLeaseMs = DEFAULT_LOCK_LEASE_MS,
  parkTtlSeconds = DEFAULT_PARK_TTL_SECONDS,
  waitTimeoutMs = DEFAULT_REFRESH_WAIT_MS,
  onOutcome,
}: RefresherOptions): Refresher {
  const inFlight = new Map<string, Promise<Flight>>();
  const parking = createParking({ redis, passwords, ttlSeconds: parkTtlSeconds });

  async function acrossInstances(
    hash: string,
    refreshToken: string,
    dpopKey: DpopKeyMaterial | undefined,
  ): Promise<Flight> {
    const { lock: lockKey, parked: parkKey } = refreshKeys(namespace, hash);
    const giveUpAt = Date.now() + waitTimeoutMs;
    for (;;) {
      const parked = await parking.read(parkKey);
      if (parked) return adopt(parked);
      const lock = await tryLock(redis, lockKey, lockLeaseMs);
      if (lock) {
        try {
          // The previous owner may have parked between our read and our lock.
          const late = await parking.read(parkKey);
          if (late) return adopt(late);
          try {
            // The parked set carries the DPoP key its access token is bound to: whoever adopts it proves
            // possession with that key.
            const tokens = await refreshTokens(refreshToken, dpopKey);
            await parking.park(parkKey, { ok: true, tokens }).catch(() => {});
            return { tokens, outcome: 'refreshed' };
          } catch (error) {
            if (error instanceof SessionExpiredError) {
              await parking.park(parkKey, { ok: false, error: 'session_expired' }).catch(() => {});
            }
            throw error;
          }
        } finally {
          await lock.release();
        }
      }
      if (Date.now() > giveUpAt) throw new AuthUnavailableError(new Error('timed out waiting for a refresh'));
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  const report = (outcome: RefreshOutcome) => {
    annotateSpan('bff.refresh.outcome', outcome);
    onOutcome?.(outcome);
  };

  return {
    get inFlight() {
      return inFlight.size;
    },
    refresh(refreshToken, dpopKey) {
      const hash = hashOf(refreshToken);
      let pending = inFlight.get(hash);
      const joined = pending !== undefined;
      if (!pending) {
        pending = acrossInstances(hash, refreshToken, dpopKey)
          .catch((error) => {
            throw error instanceof BffError ? error : new AuthUnavailableError(error);
          })
          .finally(() => inFlight.delete(hash));
        inFlight.set(hash, pending);
      }
      return pending.then(
        (flight) => {
          report(joined ? 'adopted' : flight.outcome);
          return flight.tokens;
        },
        (error) => {
          report(error instanceof SessionExpiredError ? 'reuse_detected' : 'failed');
          throw error;
        },
      );
    },
  };
}
