import 'server-only';
import type { Bff } from '@bff-auth/bff-core';
import { durationRecorder, metricsResponse } from '@bff-auth/service-kit/telemetry';
import type { AppBff } from './app-bff';

type Params = Record<string, string | string[] | undefined>;

type Recorder = ReturnType<typeof durationRecorder>;
const recorders = new WeakMap<object, Recorder>();

/**
 * Wraps a handler to record `http_request_duration_seconds` under `route` (an app that defines its
 * BFF with `defineAppBff` has metrics; a bare `() => Bff` is served unmeasured).
 */
function timed<A extends unknown[]>(
  getBff: (() => Bff) | AppBff,
  route: string,
  handler: (request: Request, ...rest: A) => Promise<Response>,
) {
  if (!('telemetry' in getBff)) return handler;
  return async (request: Request, ...rest: A) => {
    const started = performance.now();
    const { metrics } = getBff.telemetry();
    let record = recorders.get(metrics);
    if (!record) {
      record = durationRecorder(metrics.httpDuration);
      recorders.set(metrics, record);
    }
    let status = 500;
    try {
      const response = await handler(request, ...rest);
      status = response.status;
      return response;
    } finally {
      record(request.method, route, status, (performance.now() - started) / 1000);
    }
  };
}

/** The auth endpoints of SPEC §4 as Next route handlers; each file re-exports the one it serves. */
export function authRouteHandlers(getBff: (() => Bff) | AppBff) {
  return {
    login: timed(getBff, '/api/auth/login', (request) => getBff().handleLogin(request)),
    callback: timed(getBff, '/api/auth/callback', (request) => getBff().handleCallback(request)),
    logout: timed(getBff, '/api/auth/logout', (request) => getBff().handleLogout(request)),
    session: timed(getBff, '/api/auth/session', (request) => getBff().handleSession(request)),
    backchannelLogout: timed(getBff, '/api/auth/backchannel-logout', (request) =>
      getBff().handleBackchannelLogout(request),
    ),
    events: timed(getBff, '/api/auth/events', (request) => getBff().handleEvents(request)),
  };
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
