import type { Database } from '@bff-auth/db';
import { createRevocationStore, type RevocationStore } from '@bff-auth/revocation';
import { createServiceApp } from '@bff-auth/service-kit/http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AuthConfig } from './env';
import { createNodeListener } from './http/node-router';
import { createLoginRateLimiter, type LoginLimits } from './interaction/login-rate-limit';
import { interactionRoutes } from './interaction/routes';
import { requireClientToken } from './internal/require-client-token';
import { internalRoutes } from './internal/routes';
import { createUserAdmin } from './internal/user-admin';
import { createKeyEncryption } from './keys/key-encryption';
import { createKeyStore } from './keys/key-store';
import { USERS_MANAGE_SCOPE } from './oidc/clients';
import { createProvider } from './oidc/create-provider';
import { createProviderHost } from './oidc/provider-host';
import { buildResources, INTERNAL_AUDIENCE } from './oidc/resources';
import { createSessionAdmin } from './sessions/session-admin';
import { createUserStore } from './users/user-store';

export interface AuthServiceDeps {
  config: AuthConfig;
  db: Database;
  /** Connection for the provider's storage, sessions and rate limits. */
  redis: Redis;
  logger: Logger;
  /** Overrides of the sign-in limits (tests). */
  loginLimits?: LoginLimits;
}

/**
 * Wires the auth service without listening: returns a Node request listener, the pieces tests reach
 * into, and start/stop for the key-reload timer. main.ts (and the test harness) listen.
 */
export function createAuthService({ config, db, redis, logger, loginLimits }: AuthServiceDeps) {
  const users = createUserStore(db);
  const keyStore = createKeyStore({ db, encryption: createKeyEncryption(config.signingKeySecret) });
  const resources = buildResources(config);
  const revocation: RevocationStore = createRevocationStore({ redis, channelPrefix: config.redisKeyPrefix });
  const host = createProviderHost({
    keyStore,
    refreshIntervalMs: config.keyRefreshIntervalMs,
    logger,
    build: (keys) => createProvider({ config, redis, users, keys, resources, logger }),
  });
  const sessions = createSessionAdmin({ redis, host, revocation, logger });

  const app = createServiceApp({ logger, db, redis });
  app.route(
    '/',
    interactionRoutes({ host, users, limiter: createLoginRateLimiter(redis, loginLimits), logger }),
  );
  app.route(
    '/internal/v1',
    internalRoutes({
      users,
      admin: createUserAdmin({ db, revocation, sessions, logger }),
      sessions,
      auth: requireClientToken({
        host,
        issuer: config.issuer,
        audience: INTERNAL_AUDIENCE,
        clientId: 'admin-api',
        scope: USERS_MANAGE_SCOPE,
      }),
    }),
  );

  return {
    listener: createNodeListener({ app, host, logger }),
    app,
    host,
    users,
    keyStore,
    sessions,
    revocation,
    async start() {
      await keyStore.ensureKey();
      await host.start();
    },
    stop() {
      host.stop();
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
