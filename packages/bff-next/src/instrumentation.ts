import { parseEnv } from '@bff-auth/service-kit/env';
import { telemetryEnvShape } from '@bff-auth/service-kit/telemetry';
import { startTracing } from '@bff-auth/service-kit/tracing';
import { z } from 'zod';

/**
 * For a Next app's `instrumentation.ts` `register()` (Node.js runtime only): starts OpenTelemetry
 * when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, and nothing otherwise. Next then opens a server span per
 * request from the browser's `traceparent`, bff-core's spans hang under it, and outgoing calls to the
 * APIs and the auth service carry the trace on.
 */
export function registerTracing(
  serviceName: string,
  source: Record<string, string | undefined> = process.env,
) {
  const env = parseEnv(z.object(telemetryEnvShape), source);
  return startTracing({
    serviceName,
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
  });
}
