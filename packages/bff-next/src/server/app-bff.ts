import 'server-only';
import { type Bff, type BffOptions, createBff } from '@bff-auth/bff-core';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createRedis } from '@bff-auth/service-kit/redis';
import { drainOnSignal } from './drain-on-signal';
import { type AppKind, type BffEnv, loadBffEnv } from './env';

export interface AppBffDefinition {
  app: AppKind;
  clientId: string;
  /** Upstreams and routes, given the app's environment. */
  proxy: (env: BffEnv) => Pick<BffOptions, 'upstreams' | 'routes'>;
  requiredRole?: string;
}

type Holder = { bff?: Bff };
const holders = globalThis as unknown as Record<string, Holder | undefined>;

/**
 * The app's one BFF instance, created on first use (not at import, so `next build` needs no
 * environment) and kept on globalThis so Next's dev reloads do not open new Redis connections.
 * On SIGTERM/SIGINT it drains (`drainOnSignal`).
 */
export function defineAppBff(definition: AppBffDefinition): () => Bff {
  const key = `__bffAuth_${definition.clientId}`;
  return () => {
    const holder = holders[key] ?? {};
    holders[key] = holder;
    if (!holder.bff) {
      const env = loadBffEnv(definition.app);
      const logger = createLogger({ name: definition.clientId, level: env.logLevel });
      const redis = createRedis({
        url: env.redisUrl,
        keyPrefix: env.redisKeyPrefix,
        name: definition.clientId,
      });
      const subscriber = createRedis({
        url: env.redisUrl,
        failFast: false,
        name: `${definition.clientId}-events`,
      });
      holder.bff = createBff({
        app: definition.app,
        appOrigin: env.appOrigin,
        issuer: env.issuer,
        clientId: definition.clientId,
        clientSecret: env.clientSecret,
        // `roles` puts the user's roles into the ID token; our provider issues refresh tokens without offline_access.
        scope: 'openid email profile roles',
        session: { passwords: env.sessionPasswords },
        refresh: { skewSeconds: env.refreshSkewSeconds },
        redis,
        subscriber,
        channelPrefix: env.redisKeyPrefix,
        allowInsecureRequests: env.issuer.startsWith('http:'),
        logger,
        ...(definition.requiredRole ? { requiredRole: definition.requiredRole } : {}),
        ...definition.proxy(env),
      });
      drainOnSignal(holder.bff, logger);
    }
    return holder.bff;
  };
}
