export {
  hasMetricsToken,
  type MetricsEndpointOptions,
  metricsResponse,
  metricsRoutes,
} from './metrics-endpoint';
export { observeNodeListener } from './observe-node-listener';
export { durationRecorder, type ObserveRequestsOptions, observeRequests } from './observe-requests';
export { type FinishServerSpan, runInServerSpan, serverTracer } from './request-span';
export {
  BREAKER_STATE_VALUES,
  type BreakerStateName,
  createServiceMetrics,
  DURATION_BUCKETS,
  metricFamilyNames,
  REFRESH_OUTCOMES,
  type RefreshOutcome,
  type ServiceMetrics,
} from './service-metrics';
export type { ServiceTelemetry } from './service-telemetry';
export {
  MIN_METRICS_TOKEN_LENGTH,
  OTLP_PROTOCOLS,
  type OtlpProtocol,
  type TelemetryEnv,
  telemetryEnvShape,
} from './telemetry-env';
