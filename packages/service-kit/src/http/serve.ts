import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { closeGracefully } from '../service/close-gracefully';
import { type DrainState, drainAwareListener } from '../service/draining';

/** SPEC §6: request headers over 16 KB are refused by Node's parser with 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface StartedServer {
  server: Server;
  port: number;
  url: string;
  /**
   * Stops accepting and resolves once the server is closed. In-flight requests get `drainMs` to finish
   * (default 0: cut at once, what tests want; `serveService` passes DEFAULT_DRAIN_MS on SIGTERM).
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/**
 * Listens with `app` on `port` (0 = a free port) on 127.0.0.1 unless `hostname` says otherwise. With
 * `drain`, the server answers as `drainAwareListener` says once the drain has started.
 */
export async function listen(
  app: Pick<Hono, 'fetch'>,
  { port, hostname = '127.0.0.1', drain }: { port: number; hostname?: string; drain?: DrainState },
): Promise<StartedServer> {
  const listener = getRequestListener(app.fetch);
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    drain ? drainAwareListener(listener, drain) : listener,
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      const info = server.address() as AddressInfo;
      resolve({
        server,
        port: info.port,
        url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}`,
        close: ({ drainMs = 0 } = {}) => closeGracefully(server, { drainMs }),
      });
    });
  });
}
