import { type Env, Hono } from 'hono';
import type { BlankEnv } from 'hono/types';
import type { Logger } from '../logger';
import type { RedisClient } from '../redis';
import { metricsRoutes } from '../telemetry/metrics-endpoint';
import { observeRequests } from '../telemetry/observe-requests';
import type { ServiceTelemetry } from '../telemetry/service-telemetry';
import { bodyLimit } from './body-limit';
import { readUnreadBody } from './drain-body';
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
  /** Request durations, spans and the guarded GET /metrics. Omitted: none of them (tests). */
  telemetry?: ServiceTelemetry;
}

/**
 * The Hono app every service starts from: `requestId()`, `requestLogger(logger)`, `readUnreadBody()` and
 * `bodyLimit()` (MAX_BODY_BYTES) on every route, GET /health and GET /ready, the JSON error envelope
 * (`errorHandler(logger)`) and the 404 envelope (`notFoundHandler`). With `telemetry`, first of all
 * `observeRequests` (duration histogram, server span) and GET /metrics behind METRICS_TOKEN.
 * Callers mount their own routes.
 */
export function createServiceApp<E extends Env = BlankEnv>({ logger, db, redis, telemetry }: ServiceAppDeps) {
  const app = new Hono<E>();
  if (telemetry) {
    app.use(observeRequests({ httpDuration: telemetry.metrics.httpDuration, tracer: telemetry.tracer }));
  }
  app.use(requestId());
  app.use(requestLogger(logger));
  app.use(readUnreadBody());
  app.use(bodyLimit());
  app.onError(errorHandler(logger));
  app.notFound(notFoundHandler);
  app.route('/', healthRoutes({ db, redis }));
  if (telemetry) {
    app.route('/', metricsRoutes({ registry: telemetry.metrics.registry, token: telemetry.metricsToken }));
  }
  return app;
}
