import { z } from 'zod';

/** The OTLP/HTTP encodings the exporter speaks (the standard `OTEL_EXPORTER_OTLP_PROTOCOL` values). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** A metrics token shorter than this is refused: it is the only lock on `/metrics`. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

/**
 * The observability variables every service reads (spread into the app's own schema):
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (tracing is off without it), `OTEL_EXPORTER_OTLP_PROTOCOL`
 * (default http/protobuf) and `METRICS_TOKEN` (without it `/metrics` refuses every request).
 */
export const telemetryEnvShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTLP_PROTOCOLS).default('http/protobuf'),
  METRICS_TOKEN: z.string().min(MIN_METRICS_TOKEN_LENGTH).optional(),
};

/** What `telemetryEnvShape` parses to. */
export interface TelemetryEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_PROTOCOL: OtlpProtocol;
  METRICS_TOKEN?: string | undefined;
}
