import { type Env, Hono } from 'hono';
import type { BlankEnv } from 'hono/types';
import type { Logger } from '../logger';
import type { RedisClient } from '../redis';
import { bodyLimit } from './body-limit';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRoutes, type Pingable } from './health';
import { requestId } from './request-id';
import { requestLogger } from './request-logger';

export interface ServiceAppDeps {
  /** Request logs and the error handler's log lines. */
  logger: Logger;
  /** Pinged by GET /ready. */
  db: Pingable;
  /** Written to by GET /ready (a replica or a demoted master is not ready). */
  redis: Pick<RedisClient, 'set' | 'ping'>;
}

/**
 * The Hono app every service starts from: `requestId()`, `requestLogger(logger)` and `bodyLimit()`
 * (MAX_BODY_BYTES) on every route, GET /health and GET /ready, the JSON error envelope
 * (`errorHandler(logger)`) and the 404 envelope (`notFoundHandler`). Callers mount their own routes.
 */
export function createServiceApp<E extends Env = BlankEnv>({ logger, db, redis }: ServiceAppDeps) {
  const app = new Hono<E>();
  app.use(requestId());
  app.use(requestLogger(logger));
  app.use(bodyLimit());
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);
  app.route('/', healthRoutes({ db, redis }));
  return app;
}
