import { type Attributes, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@bff-auth/bff-core');

/**
 * Runs `fn` in a child span named `name` when the request is being traced (a recording span is
 * active: the app started an OpenTelemetry SDK and the framework opened a server span), and as a
 * plain call otherwise, so an untraced request pays one context lookup. Errors mark the span.
 */
export function inSpan<T>(name: string, fn: () => Promise<T>, attributes?: Attributes): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return fn();
  return tracer.startActiveSpan(name, attributes ? { attributes } : {}, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets an attribute on the current span, if any (e.g. the refresh outcome, known deep inside). */
export function annotateSpan(key: string, value: string): void {
  trace.getActiveSpan()?.setAttribute(key, value);
}
