import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request duration buckets (seconds): a BFF hop is ~ms, a sign-in with argon2 a few hundred ms. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Outcomes of one BFF refresh attempt (SPEC §11). */
export const REFRESH_OUTCOMES = ['refreshed', 'adopted', 'reuse_detected', 'failed'] as const;
export type RefreshOutcome = (typeof REFRESH_OUTCOMES)[number];

/** Breaker states as gauge values: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;
export type BreakerStateName = keyof typeof BREAKER_STATE_VALUES;

/**
 * Every metric family the services export, by one name each. One catalog (rather than one per
 * service) so the alert rules and the dashboard in deploy/ can be checked against a single list; a
 * family a service never touches is simply absent (labelled) or zero (unlabelled) in its scrape.
 */
export function createServiceMetrics({
  service,
  signingKeyActivatedAt,
}: {
  service: string;
  /** The auth service: when the signing key in force became active (read at each scrape). */
  signingKeyActivatedAt?: () => Date;
}) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const r = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: DURATION_BUCKETS,
      registers: r,
    }),
    refreshOutcomes: new Counter({
      name: 'bff_refresh_total',
      help: 'BFF token refreshes by single-flight outcome: refreshed, adopted, reuse_detected, failed',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    reuseDetections: new Counter({
      name: 'auth_refresh_token_reuse_total',
      help: 'Refresh tokens presented again after rotation (the grant is revoked)',
      registers: r,
    }),
    breakerState: new Gauge({
      name: 'bff_upstream_breaker_state',
      help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'] as const,
      registers: r,
    }),
    fallbacksServed: new Counter({
      name: 'bff_fallbacks_served_total',
      help: 'Cached GET answers served because the upstream failed',
      labelNames: ['upstream'] as const,
      registers: r,
    }),
    revocationFailClosed: new Counter({
      name: 'revocation_check_fail_closed_total',
      help: 'Requests refused because the revocation state could not be read',
      registers: r,
    }),
    forcedSignOuts: new Counter({
      name: 'bff_forced_sign_outs_total',
      help: 'Sessions ended by the BFF without the user asking, by reason',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    signInFailures: new Counter({
      name: 'auth_sign_in_failures_total',
      help: 'Sign-in attempts refused for wrong credentials',
      registers: r,
    }),
    signInLimited: new Counter({
      name: 'auth_sign_in_limited_total',
      help: 'Sign-in attempts refused by a rate limit',
      registers: r,
    }),
    openEventStreams: new Gauge({
      name: 'bff_event_streams_open',
      help: 'Server-sent event streams currently open',
      registers: r,
    }),
    signingKeyAge: new Gauge({
      name: 'auth_signing_key_age_seconds',
      help: 'Age of the signing key in force',
      registers: r,
      collect() {
        if (signingKeyActivatedAt)
          this.set(Math.max(0, (Date.now() - signingKeyActivatedAt().getTime()) / 1000));
      },
    }),
  };
}

/** The metrics of one service; pass it (or the parts a component needs) to the factories. */
export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;

/** Every metric family name the services register (the alert rules and dashboard are checked against it). */
export async function metricFamilyNames(): Promise<string[]> {
  const { registry } = createServiceMetrics({ service: 'catalog' });
  return (await registry.getMetricsAsJSON()).map((m) => m.name);
}
