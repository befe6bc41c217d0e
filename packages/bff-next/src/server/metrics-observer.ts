import type { BffObserver } from '@bff-auth/bff-core';
import { BREAKER_STATE_VALUES, REFRESH_OUTCOMES, type ServiceMetrics } from '@bff-auth/service-kit/telemetry';

/**
 * bff-core's observer hooks onto the app's prom-client metrics. Label children are made once here
 * (refresh outcomes) or cached per upstream, so a request costs an increment, not a label lookup.
 */
export function metricsObserver(metrics: ServiceMetrics): BffObserver {
  const refresh = Object.fromEntries(REFRESH_OUTCOMES.map((o) => [o, metrics.refreshOutcomes.labels(o)]));
  const revoked = metrics.forcedSignOuts.labels('session_revoked');
  const expired = metrics.forcedSignOuts.labels('session_expired');
  return {
    refresh: (outcome) => refresh[outcome]?.inc(),
    revocationFailClosed: () => metrics.revocationFailClosed.inc(),
    forcedSignOut: (reason) => (reason === 'session_revoked' ? revoked : expired).inc(),
    breakerState: (upstream, state) => metrics.breakerState.labels(upstream).set(BREAKER_STATE_VALUES[state]),
    fallbackServed: (upstream) => metrics.fallbacksServed.labels(upstream).inc(),
    eventStreams: (delta) => metrics.openEventStreams.inc(delta),
  };
}
