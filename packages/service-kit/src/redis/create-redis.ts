import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { RedisConfigError } from './errors';
import type { HostPort, RedisEndpoint } from './redis-endpoint';

/** Either client ioredis gives: a single server or Sentinel-managed master (`Redis`), or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** How long a command may take before it fails, on connections that guard a request (fail closed). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
/**
 * Command timeout of the connections that are not on a fail-closed path (auth-service's provider
 * storage, subscribers' commands): long enough for a slow moment, short enough that a frozen Redis
 * turns a sign-in into an error within two seconds instead of hanging for the whole freeze.
 */
export const DEFAULT_PATIENT_COMMAND_TIMEOUT_MS = 2_000;
/** Longest pause between reconnection attempts. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

export type RedisConnectionOptions = RedisEndpoint & {
  /** Namespace of every key (REDIS_KEY_PREFIX); pub/sub channels must add it themselves. No `{`. */
  keyPrefix?: string;
  /**
   * Fail-closed mode for the per-request checks: commands time out after `commandTimeoutMs`
   * (default DEFAULT_COMMAND_TIMEOUT_MS, 500 ms) and are not retried after a disconnect. Without it the
   * timeout is DEFAULT_PATIENT_COMMAND_TIMEOUT_MS (2 s) and a command survives up to 3 reconnects.
   * Default true.
   */
  failFast?: boolean;
  commandTimeoutMs?: number;
  /** Connection name shown by CLIENT LIST (and the Sentinel/Cluster node connections). */
  name?: string;
};

// Deliberate offline-queue policy, the same on every connection: commands given while (re)connecting
// wait in the queue, but never longer than the command timeout (ioredis arms it before queueing). So a
// fresh instance answers its first requests once connected instead of 503, and a dead Redis still
// fails a request within the timeout: fail closed, bounded.
const baseOptions = ({
  keyPrefix = '',
  failFast = true,
  commandTimeoutMs,
  name,
  password,
  username,
  tls,
}: RedisConnectionOptions): RedisOptions => ({
  keyPrefix,
  ...(name ? { connectionName: name } : {}),
  ...(password ? { password } : {}),
  ...(username ? { username } : {}),
  ...(tls ? { tls: {} } : {}),
  lazyConnect: false,
  enableOfflineQueue: true,
  commandTimeout:
    commandTimeoutMs ?? (failFast ? DEFAULT_COMMAND_TIMEOUT_MS : DEFAULT_PATIENT_COMMAND_TIMEOUT_MS),
  maxRetriesPerRequest: failFast ? 0 : 3,
  retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
});

/**
 * The one Redis factory of every service and package: a single server (`url`, redis:// or rediss://),
 * a Sentinel-managed master (`sentinels` + `sentinelMaster`, followed across failovers) or a Cluster
 * (`clusterNodes`). Connects at once and reconnects forever with a capped backoff.
 * @throws RedisConfigError when the endpoint is not exactly one of the three, or the prefix holds `{`.
 */
export function createRedis(options: RedisConnectionOptions): RedisClient {
  const { keyPrefix = '' } = options;
  // A `{` in the prefix would become the hash tag of every key and put the whole system in one slot.
  if (keyPrefix.includes('{')) throw new RedisConfigError('keyPrefix must not contain "{"');
  const kinds = [options.url, options.sentinels, options.clusterNodes].filter((v) => v !== undefined);
  if (kinds.length !== 1) {
    throw new RedisConfigError('give exactly one of url, sentinels (+ sentinelMaster) or clusterNodes');
  }
  const base = baseOptions(options);
  let client: RedisClient;
  if (options.url !== undefined) {
    client = new Redis(options.url, base);
  } else if (options.sentinels !== undefined) {
    if (!options.sentinelMaster) throw new RedisConfigError('sentinels need sentinelMaster');
    client = new Redis({
      ...base,
      sentinels: options.sentinels,
      name: options.sentinelMaster,
      role: 'master',
      ...(options.sentinelPassword ? { sentinelPassword: options.sentinelPassword } : {}),
      ...(options.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      sentinelRetryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
      // Listen to the sentinels' +switch-master and move at once, not only when the old master drops us.
      failoverDetector: true,
      // A master demoted to replica answers READONLY: reconnect, which asks the sentinels for the new
      // master, and resend the command. (Not for a plain URL: reconnecting there reaches the same
      // replica again; /ready reports it instead.)
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    });
  } else {
    client = createCluster(options.clusterNodes!, base);
  }
  // Errors surface on the commands that fail; an unhandled 'error' event would crash the process.
  client.on('error', () => {});
  return client;
}

function createCluster(nodes: HostPort[], base: RedisOptions): Cluster {
  const { keyPrefix, retryStrategy: _perNode, ...redisOptions } = base;
  const clusterOptions: ClusterOptions = {
    keyPrefix: keyPrefix ?? '',
    redisOptions,
    enableOfflineQueue: true,
    enableReadyCheck: true,
    clusterRetryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
    // MOVED/ASK after a resharding or failover are followed by ioredis itself; refresh slots often so a
    // promoted replica is found without waiting for an error.
    slotsRefreshInterval: 2_000,
  };
  const cluster = new Cluster(nodes, clusterOptions);
  const timeoutMs = base.commandTimeout;
  if (typeof timeoutMs === 'number') {
    // The Cluster queues commands while it has no slot map, before any node connection (which arms the
    // node's command timeout) sees them; arm the same timeout there, or a cluster that is down would
    // hang every request. Command.setTimeout is idempotent, so the node does not arm a second one.
    const send = cluster.sendCommand.bind(cluster) as (...args: unknown[]) => unknown;
    (cluster as unknown as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = (...args) => {
      (args[0] as { setTimeout?: (ms: number) => void }).setTimeout?.(timeoutMs);
      return send(...args);
    };
  }
  return cluster;
}
