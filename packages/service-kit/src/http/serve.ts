import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** SPEC §6: request headers over 16 KB are refused by Node's parser with 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface StartedServer {
  server: ServerType;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens with `app` on `port` (0 = a free port) on 127.0.0.1 unless `hostname` says otherwise. */
export async function listen(
  app: Pick<Hono, 'fetch'>,
  { port, hostname = '127.0.0.1' }: { port: number; hostname?: string },
): Promise<StartedServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port, hostname, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } },
      (info: AddressInfo) => {
        resolve({
          server,
          port: info.port,
          url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              if ('closeAllConnections' in server) server.closeAllConnections();
              server.close(() => done());
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
