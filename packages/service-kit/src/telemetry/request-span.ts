import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';

type HeaderCarrier = Headers | Record<string, string | string[] | undefined>;

/** Reads W3C `traceparent`/`tracestate` from either a Web `Headers` or Node's header object. */
const headerGetter: TextMapGetter<HeaderCarrier> = {
  keys: (carrier) => (carrier instanceof Headers ? [...carrier.keys()] : Object.keys(carrier)),
  get: (carrier, key) => (carrier instanceof Headers ? (carrier.get(key) ?? undefined) : carrier[key]),
};

/** Ends a server span with the matched route pattern and the response status. */
export type FinishServerSpan = (status: number, route: string) => void;

/**
 * Runs `fn` inside a SERVER span that continues the caller's trace (its `traceparent`, if any), so
 * the spans and outgoing requests `fn` makes are children of it. `fn` calls `finish` once it knows
 * the status and route pattern.
 */
export function runInServerSpan<T>(
  tracer: Tracer,
  method: string,
  headers: HeaderCarrier,
  fn: (finish: FinishServerSpan) => T,
): T {
  const parent = propagation.extract(ROOT_CONTEXT, headers, headerGetter);
  const span = tracer.startSpan(
    method,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } },
    parent,
  );
  const finish: FinishServerSpan = (status, route) => {
    span.updateName(`${method} ${route}`);
    span.setAttribute('http.route', route);
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  return context.with(trace.setSpan(parent, span), () => fn(finish));
}

/**
 * The tracer a server opens its spans with: the global provider's (a no-op until an OpenTelemetry SDK
 * is started, e.g. by a Next app's instrumentation file), for code that does not start tracing itself.
 */
export function serverTracer(serviceName: string): Tracer {
  return trace.getTracer(serviceName);
}
