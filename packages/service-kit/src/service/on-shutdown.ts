import type { Logger } from '../logger';

/** The signals a service stops on: Ctrl-C in a terminal, and what orchestrators send. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * On the first SIGINT or SIGTERM: logs `${name} stopping` with the signal, awaits `close` (release the
 * server, connections and database there), then exits with 0.
 */
export function onShutdown({
  name,
  logger,
  close,
}: {
  name: string;
  logger: Logger;
  close: () => Promise<void>;
}): void {
  const stop = async (signal: string) => {
    logger.info({ signal }, `${name} stopping`);
    await close();
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => void stop(signal));
}
