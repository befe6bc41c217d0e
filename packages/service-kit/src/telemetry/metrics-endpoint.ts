import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { errorBody } from '../http/envelope';
// The requestId context variable (declared there) that the error body carries.
import type {} from '../http/request-id';

export interface MetricsEndpointOptions {
  registry: Registry;
  /** `METRICS_TOKEN`. Unset: every request is refused (fail closed; the endpoint is never public). */
  token?: string | undefined;
}

/** Whether the Authorization header carries `Bearer <token>`, compared in constant time. */
export function hasMetricsToken(
  authorization: string | null | undefined,
  token: string | undefined,
): boolean {
  if (!token || !authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The Prometheus scrape as a Web Response: 401 with `WWW-Authenticate: Bearer` unless the request
 * presents `METRICS_TOKEN`, else the text exposition of `registry`. Framework-free, for Next routes.
 */
export async function metricsResponse(
  request: Pick<Request, 'headers'>,
  { registry, token }: MetricsEndpointOptions,
  requestId = 'unknown',
): Promise<Response> {
  if (!hasMetricsToken(request.headers.get('authorization'), token)) {
    return new Response(JSON.stringify(errorBody('unauthorized', 'Metrics need a token', requestId)), {
      status: 401,
      headers: {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer',
        'cache-control': 'no-store',
      },
    });
  }
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}

/** `GET /metrics` for the Hono services (see `metricsResponse`). */
export function metricsRoutes(options: MetricsEndpointOptions) {
  return new Hono().get('/metrics', (c) => metricsResponse(c.req.raw, options, c.get('requestId')));
}
