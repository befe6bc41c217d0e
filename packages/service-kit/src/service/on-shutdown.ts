import type { Logger } from '../logger';

/** The signals a service stops on: Ctrl-C in a terminal, and what orchestrators send. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * SPEC §7: a service is gone within 10 s of SIGTERM. If `close` hangs (a stuck database or Redis
 * connection), the process exits anyway at this point, with 1 so the hang shows.
 */
export const SHUTDOWN_DEADLINE_MS = 9_500;

/**
 * On the first SIGINT or SIGTERM: logs `${name} stopping` with the signal, awaits `close` (stop
 * accepting, finish in-flight work, release connections and database there), logs `${name} stopped`
 * and exits with 0. A second signal changes nothing; after `deadlineMs` the process exits with 1.
 */
export function onShutdown({
  name,
  logger,
  close,
  deadlineMs = SHUTDOWN_DEADLINE_MS,
}: {
  name: string;
  logger: Logger;
  close: () => Promise<void>;
  deadlineMs?: number;
}): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    setTimeout(() => {
      logger.error({ deadlineMs }, `${name} did not stop in time; exiting`);
      process.exit(1);
    }, deadlineMs).unref();
    try {
      await close();
      logger.info({ signal }, `${name} stopped`);
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, `${name} failed to stop cleanly`);
      process.exit(1);
    }
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void stop(signal));
}
