import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCodes, errorResponse } from '@bff-auth/bff-core';
import { type FinishServerSpan, runInServerSpan, serverTracer } from '@bff-auth/service-kit/telemetry';
import { apiResponseHeaders } from '../security-headers';
import type { AppBff } from '../server/app-bff';
import { recorderOf } from '../server/timed';
import { toWebRequest } from './node-request';
import { createRouteLookup, type RouteLookup } from './route-index';
import { writeResponse } from './write-response';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface FastLaneListenerOptions {
  /** The app's BFF (`defineAppBff`): the same instance Next's route handlers use in this process. */
  appBff: AppBff;
  /** Everything the fast lane does not take: Next's request handler (`next().getRequestHandler()`). */
  next: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Service name of the server spans. */
  serviceName: string;
}

const HEADERS = apiResponseHeaders();

/** A request id for an answer made before bff-core saw the request (its own rule: a fresh UUID). */
const freshId = () => crypto.randomUUID();

/**
 * The Node listener of the fast lane (SPEC §10): the app's declared API routes (createRouteLookup)
 * go straight to bff-core — the same handlers, route table and BFF instance the Next route files use
 * — and everything else to Next. What Next adds around a route handler, the fast lane adds too: the
 * security headers of next.config (apiResponseHeaders), a server span continuing the browser's
 * `traceparent`, `http_request_duration_seconds` under the same labels; CSRF, params, request ids and
 * error envelopes are bff-core's own in both modes, and unserved methods are refused by the method guard
 * before any listener runs.
 */
export function createFastLaneListener({ appBff, next, serviceName }: FastLaneListenerOptions): Listener {
  const bff = appBff();
  const origin = bff.context.config.appOrigin;
  const logger = bff.context.logger;
  const record = recorderOf(appBff);
  const tracer = serverTracer(serviceName);
  let lookup: RouteLookup | undefined;

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    route: ReturnType<RouteLookup> & object,
    finish: FinishServerSpan,
  ) {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);
    let response: Response;
    let bodyTouched = () => true;
    try {
      const web = toWebRequest(req, origin, abort.signal);
      bodyTouched = web.bodyTouched;
      response = await route.route.handle(bff, web.request, route.params);
    } catch (error) {
      // A header the Fetch API refuses (a TypeError building the Request); bff-core catches the rest.
      const bad = error instanceof TypeError;
      if (!bad) logger.error({ err: String(error) }, 'fast lane: request failed');
      response = bad
        ? errorResponse(400, errorCodes.badRequest, 'Bad request', freshId())
        : errorResponse(500, errorCodes.internal, 'Internal error', freshId());
    }
    try {
      await writeResponse(res, response, HEADERS, method === 'HEAD');
    } catch {
      res.destroy();
    } finally {
      res.off('close', onClose);
      // An answer given without reading the body (a refusal): drain it so the connection stays usable.
      if (!req.complete && !bodyTouched()) req.resume();
      record(method, route.route.label, res.statusCode, (performance.now() - started) / 1000);
      finish(res.statusCode, route.route.label);
    }
  }

  return (req, res) => {
    const url = req.url ?? '/';
    // Absolute-form targets and the like are Next's business, as before.
    if (url.charCodeAt(0) === 47 /* / */) {
      lookup ??= createRouteLookup(bff, appBff.definition?.authResponses);
      const q = url.indexOf('?');
      const found = lookup(req.method ?? 'GET', q === -1 ? url : url.slice(0, q));
      if (found) {
        runInServerSpan(tracer, req.method ?? 'GET', req.headers, (finish) => serve(req, res, found, finish));
        return;
      }
    }
    void next(req, res);
  };
}
