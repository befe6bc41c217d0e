import { createRevocationStore, type RevocationStore } from '@bff-auth/revocation';
import { createRedis, DEFAULT_COMMAND_TIMEOUT_MS } from '@bff-auth/service-kit/redis';
import type { Redis } from 'ioredis';

export interface RevocationConnectionOptions {
  /** REDIS_URL. */
  url: string;
  /** REDIS_KEY_PREFIX; also the auth.events channel prefix. Default ''. */
  keyPrefix?: string;
  /** A check that takes longer fails (503). Default service-kit DEFAULT_COMMAND_TIMEOUT_MS (500). */
  commandTimeoutMs?: number;
  /** CLIENT LIST name. */
  name?: string;
}

/**
 * A fail-fast Redis connection (no offline queue, command timeout) and the revocation store on it:
 * while Redis is down every check fails at once and requests get 503 instead of hanging or passing.
 */
export function connectRevocationStore({
  url,
  keyPrefix = '',
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  name,
}: RevocationConnectionOptions): { redis: Redis; store: RevocationStore } {
  const redis = createRedis({ url, keyPrefix, failFast: true, commandTimeoutMs, ...(name ? { name } : {}) });
  return { redis, store: createRevocationStore({ redis, channelPrefix: keyPrefix }) };
}
