import type { IncomingMessage, ServerResponse } from 'node:http';
import { durationRecorder, type ObserveRequestsOptions } from './observe-requests';
import { runInServerSpan } from './request-span';

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * `observeRequests` for a plain Node listener (the auth service, where oidc-provider is not a Hono
 * route). `routeOf` maps a request to a bounded route label (a pattern, never an id-bearing path).
 */
export function observeNodeListener(
  listener: Listener,
  { httpDuration, tracer, routeOf }: ObserveRequestsOptions & { routeOf: (path: string) => string },
): Listener {
  const record = durationRecorder(httpDuration);
  return (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const route = routeOf((req.url ?? '/').split('?')[0] ?? '/');
    const done = () => record(method, route, res.statusCode, (performance.now() - started) / 1000);
    if (!tracer) {
      res.once('finish', done);
      return listener(req, res);
    }
    return runInServerSpan(tracer, method, req.headers, (finish) => {
      res.once('finish', () => {
        done();
        finish(res.statusCode, route);
      });
      return listener(req, res);
    });
  };
}
