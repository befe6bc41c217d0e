import type { Tracer } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import type { Histogram } from 'prom-client';
import { runInServerSpan } from './request-span';

export interface ObserveRequestsOptions {
  /** `ServiceMetrics.httpDuration`. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** From `startTracing`; undefined = no spans (nothing is allocated for them). */
  tracer?: Tracer | undefined;
}

/** Children of the histogram by method, route pattern and status, so a request costs one Map lookup. */
export function durationRecorder(httpDuration: ObserveRequestsOptions['httpDuration']) {
  const children = new Map<string, ReturnType<typeof httpDuration.labels>>();
  return (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      child = httpDuration.labels(method, route, String(status));
      children.set(key, child);
    }
    child.observe(seconds);
  };
}

/**
 * Hono middleware (first in the chain): the request's duration into `http_request_duration_seconds`
 * by route pattern (never the raw path: ids would explode the series) and, when tracing is on, a
 * SERVER span continuing the caller's `traceparent`.
 */
export function observeRequests({ httpDuration, tracer }: ObserveRequestsOptions): MiddlewareHandler {
  const record = durationRecorder(httpDuration);
  return async (c, next) => {
    const started = performance.now();
    const measure = () => {
      // After next(), routePath is the pattern of the handler that answered ('/*' when none did).
      const route = c.req.routePath;
      record(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
      return route;
    };
    if (!tracer) {
      await next();
      measure();
      return;
    }
    await runInServerSpan(tracer, c.req.method, c.req.raw.headers, async (finish) => {
      await next();
      finish(c.res.status, measure());
    });
  };
}
