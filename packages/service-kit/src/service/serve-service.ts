import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { Hono } from 'hono';
import { listen, type StartedServer } from '../http/serve';
import type { Logger } from '../logger';
import { DEFAULT_DRAIN_MS } from './close-gracefully';
import { createDrainState } from './draining';
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
  redis: Pick<RedisClient, 'disconnect'>;
  /** How long in-flight requests get after SIGTERM. Default DEFAULT_DRAIN_MS (8 s). */
  drainMs?: number;
  /** Flushed last on shutdown, so the spans of the final requests are exported. */
  tracing?: { shutdown(): Promise<void> };
}

/**
 * Listens with `app` (see `listen`), logs `${name} listening` with its URL and database kind, and on
 * SIGINT/SIGTERM drains (SPEC §7): `/ready` answers 503 at once, no new connection is accepted, every
 * answer closes its connection, in-flight requests finish (at most `drainMs`); then Redis is
 * disconnected, the database closed, the last spans flushed and the process exits (`onShutdown`, within 10 s).
 */
export async function serveService({
  name,
  app,
  port,
  hostname,
  logger,
  db,
  redis,
  drainMs = DEFAULT_DRAIN_MS,
  tracing,
}: ServeServiceOptions): Promise<StartedServer> {
  const drain = createDrainState();
  const server = await listen(app, { port, ...(hostname ? { hostname } : {}), drain });
  logger.info({ url: server.url, database: db.kind }, `${name} listening`);
  onShutdown({
    name,
    logger,
    close: async () => {
      drain.start();
      const closed = server.close({ drainMs });
      // Logged once the listener is closed: from here a new connection is refused.
      logger.info({ drainMs }, `${name} draining`);
      await closed;
      redis.disconnect();
      await db.close();
      await tracing?.shutdown().catch(() => {});
    },
  });
  return server;
}
