import type { Hono } from 'hono';
import type { Redis } from 'ioredis';
import { listen, type StartedServer } from '../http/serve';
import type { Logger } from '../logger';
import { onShutdown } from './on-shutdown';

export interface ServeServiceOptions {
  /** Names the service in the `listening` and `stopping` log lines. */
  name: string;
  app: Pick<Hono, 'fetch'>;
  /** 0 = a free port. */
  port: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  logger: Logger;
  /** Its `kind` is logged; closed on shutdown. */
  db: { readonly kind: string; close(): Promise<void> };
  /** Disconnected on shutdown. */
  redis: Pick<Redis, 'disconnect'>;
  /** Flushed last on shutdown, so the spans of the final requests are exported. */
  tracing?: { shutdown(): Promise<void> };
}

/**
 * Listens with `app` (see `listen`), logs `${name} listening` with its URL and database kind, and on
 * SIGINT/SIGTERM closes the server, disconnects Redis, closes the database and exits (`onShutdown`).
 */
export async function serveService({
  name,
  app,
  port,
  hostname,
  logger,
  db,
  redis,
  tracing,
}: ServeServiceOptions): Promise<StartedServer> {
  const server = await listen(app, { port, hostname });
  logger.info({ url: server.url, database: db.kind }, `${name} listening`);
  onShutdown({
    name,
    logger,
    close: async () => {
      await server.close();
      redis.disconnect();
      await db.close();
      await tracing?.shutdown().catch(() => {});
    },
  });
  return server;
}
