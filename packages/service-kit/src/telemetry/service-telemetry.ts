import type { Tracer } from '@opentelemetry/api';
import type { ServiceMetrics } from './service-metrics';

/** What a service's main.ts hands its app: its metrics, the token that opens /metrics, its tracer. */
export interface ServiceTelemetry {
  metrics: ServiceMetrics;
  /** `METRICS_TOKEN`; unset = /metrics refuses every request. */
  metricsToken?: string | undefined;
  /** From `startTracing`; undefined when tracing is off. */
  tracer?: Tracer | undefined;
}
