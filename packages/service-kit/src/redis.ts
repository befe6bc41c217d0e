import { Redis, type RedisOptions } from 'ioredis';

/** How long a command may take before it fails, on connections that guard a request (fail closed). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;

export interface RedisConnectionOptions {
  /** redis:// URL. */
  url: string;
  /** Namespace of every key (REDIS_KEY_PREFIX); pub/sub channels must add it themselves. */
  keyPrefix?: string;
  /**
   * Fail-closed mode for the per-request checks: commands time out after `commandTimeoutMs` and are
   * not queued while the connection is down, so a dead Redis gives an error at once instead of a hang.
   * Default true.
   */
  failFast?: boolean;
  /** Default DEFAULT_COMMAND_TIMEOUT_MS. */
  commandTimeoutMs?: number;
  /** Connection name shown by CLIENT LIST. */
  name?: string;
}

/** Creates an ioredis connection that reconnects forever with a capped backoff. */
export function createRedis({
  url,
  keyPrefix = '',
  failFast = true,
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  name,
}: RedisConnectionOptions): Redis {
  const options: RedisOptions = {
    keyPrefix,
    connectionName: name,
    lazyConnect: false,
    maxRetriesPerRequest: failFast ? 0 : 3,
    enableOfflineQueue: !failFast,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    ...(failFast ? { commandTimeout: commandTimeoutMs } : {}),
  };
  const redis = new Redis(url, options);
  // Errors surface on the commands that fail; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** Waits until a connection is ready, or rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
