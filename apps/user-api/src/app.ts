import type { Queryable } from '@bff-auth/db';
import { createServiceApp } from '@bff-auth/service-kit/http';
import type { Logger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { ServiceTelemetry } from '@bff-auth/service-kit/telemetry';
import {
  type AuthEnv,
  accessTokenAuth,
  createUserRateLimiter,
  type TokenVerifier,
} from '@bff-auth/token-verifier';
import type { AccountClient } from './account/account-client';
import { createProfileRepository } from './profiles/profile-repository';
import { meRoutes } from './routes/me';
import { profileRoutes } from './routes/profiles';

/** The audience of user-api access tokens (SPEC §3). */
export const USER_API_AUDIENCE = 'user-api';

export interface AppDeps {
  /** Metrics, spans and GET /metrics (main.ts); tests omit it. */
  telemetry?: ServiceTelemetry;
  db: Queryable;
  /** Fail-fast connection: rate limits and the readiness ping. */
  redis: RedisClient;
  verifier: TokenVerifier;
  logger: Logger;
  /**
   * The auth service's account API (sessions, password) behind `/api/v1/me`; tests that do not need it
   * leave it out, and `/api/v1/me` then answers 404.
   */
  account?: AccountClient;
  /** Override the 1000/hour per-user limit (tests). */
  rateLimit?: { points: number; durationSec: number };
}

/** The user-api Hono app (no listening: main.ts does that). */
export function createApp({ db, redis, verifier, logger, rateLimit, telemetry, account }: AppDeps) {
  const app = createServiceApp<AuthEnv>({ logger, db, redis, ...(telemetry ? { telemetry } : {}) });

  app.use(
    '/api/v1/*',
    accessTokenAuth(verifier, {
      logger,
      ...(telemetry ? { onRevocationFailClosed: () => telemetry.metrics.revocationFailClosed.inc() } : {}),
      rateLimit: createUserRateLimiter({ redis, keyPrefix: 'rl:user-api', ...rateLimit }),
    }),
  );
  app.use('/api/v1/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store'); // personal data: no shared or browser caching
  });
  app.route('/api/v1/profiles', profileRoutes(createProfileRepository(db)));
  if (account) app.route('/api/v1/me', meRoutes(account));
  return app;
}
