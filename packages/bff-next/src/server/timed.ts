import type { Bff } from '@bff-auth/bff-core';
import { durationRecorder } from '@bff-auth/service-kit/telemetry';
import type { AppBff } from './app-bff';

type Recorder = ReturnType<typeof durationRecorder>;
const recorders = new WeakMap<object, Recorder>();

/** The `http_request_duration_seconds` recorder of an app's metrics (made once per registry). */
export function recorderOf(appBff: AppBff): Recorder {
  const { metrics } = appBff.telemetry();
  let record = recorders.get(metrics);
  if (!record) {
    record = durationRecorder(metrics.httpDuration);
    recorders.set(metrics, record);
  }
  return record;
}

/**
 * Wraps a handler to record `http_request_duration_seconds` under `route` (an app that defines its
 * BFF with `defineAppBff` has metrics; a bare `() => Bff` is served unmeasured). The route handlers
 * and the fast lane label a request alike: the route id of a proxy route, the path of an auth endpoint.
 */
export function timed<A extends unknown[]>(
  getBff: (() => Bff) | AppBff,
  route: string,
  handler: (request: Request, ...rest: A) => Promise<Response>,
) {
  if (!('telemetry' in getBff)) return handler;
  return async (request: Request, ...rest: A) => {
    const started = performance.now();
    const record = recorderOf(getBff);
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
