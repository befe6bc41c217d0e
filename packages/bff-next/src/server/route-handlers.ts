import 'server-only';
import type { Bff } from '@bff-auth/bff-core';
import { metricsResponse } from '@bff-auth/service-kit/telemetry';
import type { AppBff } from './app-bff';
import {
  AUTH_ENDPOINTS,
  type AuthEndpoint,
  type AuthEndpointName,
  answerAuthEndpoint,
} from './auth-endpoints';
import { timed } from './timed';

type Params = Record<string, string | string[] | undefined>;

/**
 * The auth endpoints of SPEC §4 as Next route handlers (AUTH_ENDPOINTS: path, method, handler, then the
 * app's `authResponses` hook); each file re-exports the one it serves under the endpoint's method.
 */
export function authRouteHandlers(getBff: (() => Bff) | AppBff) {
  const hooks = 'definition' in getBff ? getBff.definition.authResponses : undefined;
  const handlers = {} as Record<AuthEndpointName, (request: Request) => Promise<Response>>;
  for (const [name, endpoint] of Object.entries(AUTH_ENDPOINTS) as [AuthEndpointName, AuthEndpoint][]) {
    handlers[name] = timed(getBff, endpoint.path, (request: Request) =>
      answerAuthEndpoint(getBff(), name, request, hooks),
    );
  }
  return handlers;
}

/** A declared proxy route (bff-core checks the session, CSRF and the params again here). */
export function proxyRouteHandler(getBff: (() => Bff) | AppBff, routeId: string) {
  return timed(getBff, routeId, async (request: Request, context: { params: Promise<Params> }) =>
    getBff().handleProxy(request, routeId, await context.params),
  );
}

/** `GET /api/metrics`: the app's Prometheus metrics, refused (401) without `Bearer METRICS_TOKEN`. */
export function metricsRouteHandler(appBff: AppBff) {
  return (request: Request) => {
    const { metrics, metricsToken } = appBff.telemetry();
    return metricsResponse(request, { registry: metrics.registry, token: metricsToken });
  };
}

/** `GET /api/ready`: Redis and the provider's discovery reachable (200), else 503; 503 while draining. */
export function readyRouteHandler(getBff: () => Bff) {
  return (request: Request) => getBff().handleReady(request);
}
