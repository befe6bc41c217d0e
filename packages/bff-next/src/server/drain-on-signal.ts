import type { Bff } from '@bff-auth/bff-core';
import type { Logger } from '@bff-auth/service-kit/logger';

/** What an orchestrator (SIGTERM) or a terminal (SIGINT) sends to stop the server. */
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Drains the BFF when the process is told to stop (SPEC §7). Next's own handler (start-server) then
 * closes the listener and waits for open requests before it exits — which an event stream never is
 * without this: `bff.drain()` ends every stream with a `retry:` hint (the browser reconnects to another
 * instance) and turns `/api/ready` to 503. Next keeps its handler; this one only adds the drain.
 */
export function drainOnSignal(bff: Pick<Bff, 'drain'>, logger: Pick<Logger, 'info'>): void {
  let drained = false;
  const drain = (signal: string) => {
    if (drained) return;
    drained = true;
    logger.info({ signal }, 'draining: event streams told to reconnect elsewhere, /api/ready 503');
    bff.drain();
  };
  for (const signal of SIGNALS) process.once(signal, () => drain(signal));
}
