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
import { createAuditLog } from './audit/audit-log';
import { auditRoutes } from './routes/audit';
import { userRoutes } from './routes/users';
import { createStepUpRule, type StepUpRule } from './step-up/step-up';
import type { AuthServiceClient } from './upstream/auth-service-client';

/** The audience of admin-api access tokens (SPEC §3). */
export const ADMIN_API_AUDIENCE = 'admin-api';

export interface AppDeps {
  /** Metrics, spans and GET /metrics (main.ts); tests omit it. */
  telemetry?: ServiceTelemetry;
  /** admindb: the audit log. */
  db: Queryable;
  /** Fail-fast connection: rate limits and the readiness ping. */
  redis: RedisClient;
  verifier: TokenVerifier;
  /** The auth service's internal API, with admin-api's own credentials. */
  users: AuthServiceClient;
  logger: Logger;
  /** Which sign-in disable, force logout and role changes need (default: the second factor, 10 minutes). */
  stepUp?: StepUpRule;
  /** Override the 1000/hour per-user limit (tests). */
  rateLimit?: { points: number; durationSec: number };
}

/** The admin-api Hono app (no listening: main.ts does that). */
export function createApp({
  db,
  redis,
  verifier,
  users,
  logger,
  rateLimit,
  telemetry,
  stepUp = createStepUpRule(),
}: AppDeps) {
  const audit = createAuditLog(db);
  const app = createServiceApp<AuthEnv>({ logger, db, redis, ...(telemetry ? { telemetry } : {}) });

  app.use(
    '/api/v1/*',
    accessTokenAuth(verifier, {
      logger,
      ...(telemetry ? { onRevocationFailClosed: () => telemetry.metrics.revocationFailClosed.inc() } : {}),
      rateLimit: createUserRateLimiter({ redis, keyPrefix: 'rl:admin-api', ...rateLimit }),
    }),
  );
  app.use('/api/v1/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.route('/api/v1/admin/users', userRoutes({ users, audit, logger, stepUp }));
  app.route('/api/v1/admin/audit', auditRoutes({ audit, logger }));
  return app;
}
