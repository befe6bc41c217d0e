import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { describe, expect, it, vi } from 'vitest';
import type { AppBff } from './app-bff';
import { loadBffEnv } from './env';
import { metricsObserver } from './metrics-observer';

vi.mock('server-only', () => ({})); // the marker module throws outside a React server bundle
const { metricsRouteHandler, proxyRouteHandler } = await import('./route-handlers');

const TOKEN = 'bff-metrics-token-0123456789';

/** The telemetry side of an AppBff; `handleProxy` answers like an upstream outage would. */
function appBffWith(metrics = createServiceMetrics({ service: 'user-web' })): AppBff {
  const bff = { handleProxy: async () => new Response('{}', { status: 503 }) };
  return Object.assign(() => bff as never, {
    telemetry: () => ({ metrics, metricsToken: TOKEN }),
    definition: { app: 'user' as const, clientId: 'user-web', proxy: () => ({ upstreams: {}, routes: {} }) },
  });
}

const scrape = (appBff: AppBff, authorization?: string) =>
  metricsRouteHandler(appBff)(
    new Request('http://localhost:3002/api/metrics', authorization ? { headers: { authorization } } : {}),
  );

describe('GET /api/metrics', () => {
  it('answers 401 without the bearer token and the metrics with it', async () => {
    const appBff = appBffWith();
    const refused = await scrape(appBff);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect((await scrape(appBff, 'Bearer wrong-token-0123456789')).status).toBe(401);
    const ok = await scrape(appBff, `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE bff_refresh_total counter');
  });

  it('records proxied requests by route id and status', async () => {
    const appBff = appBffWith();
    const handler = proxyRouteHandler(appBff, 'profile.get');
    await handler(new Request('http://localhost:3002/api/profile'), { params: Promise.resolve({}) });
    expect(await (await scrape(appBff, `Bearer ${TOKEN}`)).text()).toContain(
      'http_request_duration_seconds_count{service="user-web",method="GET",route="profile.get",status="503"} 1',
    );
  });

  it('counts what bff-core reports through the observer', async () => {
    const metrics = createServiceMetrics({ service: 'user-web' });
    const observer = metricsObserver(metrics);
    observer.refresh?.('refreshed');
    observer.refresh?.('adopted');
    observer.refresh?.('adopted');
    observer.forcedSignOut?.('session_revoked');
    observer.revocationFailClosed?.();
    observer.breakerState?.('user-api', 'open');
    observer.fallbackServed?.('user-api');
    observer.eventStreams?.(1);
    observer.eventStreams?.(1);
    observer.eventStreams?.(-1);
    const text = await (await scrape(appBffWith(metrics), `Bearer ${TOKEN}`)).text();
    for (const line of [
      'bff_refresh_total{outcome="adopted",service="user-web"} 2',
      'bff_refresh_total{outcome="refreshed",service="user-web"} 1',
      'bff_forced_sign_outs_total{reason="session_revoked",service="user-web"} 1',
      'revocation_check_fail_closed_total{service="user-web"} 1',
      'bff_upstream_breaker_state{upstream="user-api",service="user-web"} 2',
      'bff_fallbacks_served_total{upstream="user-api",service="user-web"} 1',
      'bff_event_streams_open{service="user-web"} 1',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('takes METRICS_TOKEN from the environment and refuses a short one', () => {
    expect(loadBffEnv('user', { METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(loadBffEnv('user', {}).metricsToken).toBeUndefined();
    expect(() => loadBffEnv('user', { METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
