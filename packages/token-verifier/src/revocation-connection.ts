import { createRevocationStore, type RevocationStore } from '@bff-auth/revocation';
import {
  createRedis,
  DEFAULT_COMMAND_TIMEOUT_MS,
  type RedisClient,
  type RedisEndpoint,
} from '@bff-auth/service-kit/redis';

export type RevocationConnectionOptions = RedisEndpoint & {
  /** REDIS_KEY_PREFIX; also the auth.events channel prefix. Default ''. */
  keyPrefix?: string;
  /** A check that takes longer fails (503). Default service-kit DEFAULT_COMMAND_TIMEOUT_MS (500). */
  commandTimeoutMs?: number;
  /** CLIENT LIST name. */
  name?: string;
  /**
   * Fail closed until the revocation state was restored into an empty Redis (the marker our auth
   * service writes). Default true; false only with a provider that is not our auth service.
   */
  requireRestored?: boolean;
};

/**
 * A fail-fast Redis connection (command timeout, no retry after a disconnect) to a single server,
 * Sentinel or Cluster, and the revocation store on it: while Redis is down every check fails within
 * the timeout and requests get 503 instead of hanging or passing.
 */
export function connectRevocationStore({
  keyPrefix = '',
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  name,
  requireRestored = true,
  ...endpoint
}: RevocationConnectionOptions): { redis: RedisClient; store: RevocationStore } {
  const redis = createRedis({
    ...endpoint,
    keyPrefix,
    failFast: true,
    commandTimeoutMs,
    ...(name ? { name } : {}),
  });
  return { redis, store: createRevocationStore({ redis, channelPrefix: keyPrefix, requireRestored }) };
}
