import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { Logger } from 'pino';
import type { RevocationRecord } from './revocation-record';

/** How often the restorer looks for the "restored" marker besides reconnects (a FLUSHALL keeps connections). */
export const RESTORE_CHECK_INTERVAL_MS = 5000;

/**
 * Gives Redis back the durable revocation record: at start, after every reconnect (an empty restart or a
 * failover always drops the connection, and a promoted replica may lack the last writes), when a Cluster
 * loses a node (`-node`: a master that died may take unreplicated writes with it, while the Cluster
 * connection as a whole stays up), and whenever the marker is found missing. Until it is done every reader
 * fails closed. A restore that fails (a slot without a master until the Cluster elects one) is retried.
 */
export function createRevocationRestorer({
  redis,
  record,
  restoredKey,
  logger,
  intervalMs = RESTORE_CHECK_INTERVAL_MS,
}: {
  redis: RedisClient;
  record: RevocationRecord;
  /** `revocationKeys.restored`. */
  restoredKey: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  intervalMs?: number;
}) {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Set when the connection dropped or a restore failed: the next chance restores, marker or not.
  let needed = false;

  const restore = () => {
    running ??= record
      .restore()
      .then((count) => {
        needed = false;
        logger.info({ count }, 'revocation state restored into Redis');
      })
      .catch((err: unknown) => {
        needed = true;
        logger.warn({ err }, 'could not restore the revocation state yet');
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const onClose = () => {
    needed = true;
  };
  const onNodeLost = () => {
    needed = true;
    void restore();
  };
  const onReady = () => {
    if (needed) void restore();
  };

  return {
    /** Restores once, then keeps watching. */
    async start() {
      redis.on('close', onClose);
      redis.on('ready', onReady);
      redis.on('-node', onNodeLost);
      await restore();
      timer = setInterval(() => {
        if (needed) return void restore();
        redis.exists(restoredKey).then(
          (present) => {
            if (!present) void restore();
          },
          () => {}, // Redis is down: the reconnect will trigger the restore.
        );
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      redis.off('close', onClose);
      redis.off('ready', onReady);
      redis.off('-node', onNodeLost);
    },
    /** For tests: resolves when a restore in progress is done. */
    settled: () => running ?? Promise.resolve(),
  };
}
