import { trace } from '@opentelemetry/api';
import { type Logger, pino } from 'pino';

/**
 * Paths that never reach a log line. Credentials travel in these headers and body fields; pino replaces
 * them with "[redacted]" before serialising.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.token',
  'password',
  'secret',
];

export interface LoggerOptions {
  /** Service name, on every line. */
  name: string;
  /** pino level. Default 'info'. */
  level?: string;
  /** Destination stream; default stdout. Tests pass a buffer to assert on what is logged. */
  destination?: NodeJS.WritableStream;
}

/** `trace_id` and `span_id` of the active span, so a log line leads to its trace (SPEC §11). */
function traceFields(): object {
  const span = trace.getActiveSpan();
  // A fresh object each time: pino's default merge strategy assigns the line's fields into it.
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** A structured JSON logger with secrets redacted; lines written inside a span carry its `trace_id`. */
export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceFields,
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

export type { Logger };
