import { type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OtlpProtocol } from './telemetry-env';

export interface TracingOptions {
  /** `service.name` of every span. */
  serviceName: string;
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `${endpoint}/v1/traces`. Unset: no tracing. */
  endpoint?: string | undefined;
  /** Default http/protobuf. */
  protocol?: OtlpProtocol;
}

export interface Tracing {
  /** The service's tracer, or undefined when tracing is off (callers then skip span work entirely). */
  readonly tracer: Tracer | undefined;
  /** Flushes pending spans and stops the SDK. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { tracer: undefined, shutdown: async () => {} };

/**
 * Starts the OpenTelemetry Node SDK when an OTLP endpoint is configured, and nothing otherwise.
 * Outgoing `fetch`/undici requests get client spans and a W3C `traceparent` (undici instrumentation,
 * which listens on diagnostics channels and so works under ESM without a loader); incoming requests
 * get their server span from `observeRequests` / `observeNodeListener`, which read `traceparent`.
 */
export function startTracing({ serviceName, endpoint, protocol = 'http/protobuf' }: TracingOptions): Tracing {
  if (!endpoint) return OFF;
  const url = `${endpoint.replace(/\/$/, '')}/v1/traces`;
  const exporter =
    protocol === 'http/json' ? new JsonTraceExporter({ url }) : new ProtoTraceExporter({ url });
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
    instrumentations: [new UndiciInstrumentation()],
    // Metrics are pulled by Prometheus from /metrics, logs go to stdout: the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { tracer: trace.getTracer(serviceName), shutdown: () => sdk.shutdown() };
}
