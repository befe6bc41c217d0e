import { type Bff, type BffOptions, createBff } from '@bff-auth/bff-core';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createRedis } from '@bff-auth/service-kit/redis';
import { createServiceMetrics, type ServiceMetrics } from '@bff-auth/service-kit/telemetry';
import type { AuthResponseHooks } from './auth-endpoints';
import { drainOnSignal } from './drain-on-signal';
import { type AppKind, type BffEnv, loadBffEnv } from './env';
import { metricsObserver } from './metrics-observer';

export interface AppBffDefinition {
  app: AppKind;
  /** Names the instance, its logs and Redis connections; also the default OAuth client id (`*_WEB_CLIENT_ID`). */
  clientId: string;
  /** Upstreams and routes, given the app's environment. */
  proxy: (env: BffEnv) => Pick<BffOptions, 'upstreams' | 'routes'>;
  requiredRole?: string;
  /** The app's own answers in place of auth endpoints' (AuthResponseHooks), in Next and in the fast lane. */
  authResponses?: AuthResponseHooks;
  /** Step-up sign-ins the app's pages may ask for (bff-core's `stepUp`: the acr values allowed). */
  stepUp?: BffOptions['stepUp'];
}

type Holder = { bff?: Bff; metrics?: ServiceMetrics; metricsToken?: string | undefined };

/** The app's BFF, with the metrics it reports into (for GET /api/metrics). */
export interface AppBff {
  (): Bff;
  /** The app's registry and METRICS_TOKEN; creates the BFF first if needed. */
  telemetry(): { metrics: ServiceMetrics; metricsToken: string | undefined };
  /** What the app declared: the route handlers and the fast lane both serve it. */
  readonly definition: AppBffDefinition;
}
const holders = globalThis as unknown as Record<string, Holder | undefined>;

/**
 * The app's one BFF instance, created on first use (not at import, so `next build` needs no
 * environment) and kept on globalThis so Next's dev reloads do not open new Redis connections.
 * On SIGTERM/SIGINT it drains (`drainOnSignal`).
 */
export function defineAppBff(definition: AppBffDefinition): AppBff {
  const key = `__bffAuth_${definition.clientId}`;
  const getBff = () => {
    const holder = holders[key] ?? {};
    holders[key] = holder;
    if (!holder.bff) {
      const env = loadBffEnv(definition.app);
      const logger = createLogger({ name: definition.clientId, level: env.logLevel });
      // Fail-fast (500 ms) for the per-request checks; connecting starts now, and a request that comes
      // before the connection is up waits in the offline queue (within that timeout) instead of a 503.
      const redis = createRedis({
        ...env.redis,
        keyPrefix: env.redisKeyPrefix,
        name: definition.clientId,
      });
      const subscriber = createRedis({
        ...env.redis,
        failFast: false,
        name: `${definition.clientId}-events`,
      });
      const metrics = createServiceMetrics({ service: definition.clientId });
      holder.metrics = metrics;
      holder.metricsToken = env.metricsToken;
      holder.bff = createBff({
        app: definition.app,
        appOrigin: env.appOrigin,
        issuer: env.issuer,
        clientId: env.clientId,
        clientSecret: env.clientSecret,
        scope: env.scope,
        resource: env.resource,
        audience: env.audience,
        rolesClaim: env.rolesClaim,
        requireRestored: env.requireRestored,
        session: { passwords: env.sessionPasswords },
        refresh: { skewSeconds: env.refreshSkewSeconds },
        redis,
        subscriber,
        channelPrefix: env.redisKeyPrefix,
        allowInsecureRequests: env.issuer.startsWith('http:'),
        authServer: { dpop: env.dpop },
        logger,
        observer: metricsObserver(metrics),
        ...(definition.requiredRole ? { requiredRole: definition.requiredRole } : {}),
        ...(definition.stepUp ? { stepUp: definition.stepUp } : {}),
        ...definition.proxy(env),
      });
      drainOnSignal(holder.bff, logger);
    }
    return holder.bff;
  };
  return Object.assign(getBff, {
    definition,
    telemetry() {
      getBff();
      const holder = holders[key]!;
      return { metrics: holder.metrics!, metricsToken: holder.metricsToken };
    },
  });
}
