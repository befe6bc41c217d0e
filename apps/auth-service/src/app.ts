import type { Database } from '@bff-auth/db';
import { createRevocationStore, type RevocationStore, revocationKeys } from '@bff-auth/revocation';
import { createServiceApp } from '@bff-auth/service-kit/http';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { metricsRoutes, observeNodeListener, type ServiceTelemetry } from '@bff-auth/service-kit/telemetry';
import type { Logger } from 'pino';
import { accountRoutes } from './account/account-routes';
import { createPasswordChange } from './account/password-change';
import type { AuthConfig } from './env';
import { createNodeListener } from './http/node-router';
import { countRefreshReuse, routeLabel } from './http/telemetry';
import { createLoginRateLimiter, type LoginLimits } from './interaction/login-rate-limit';
import { interactionRoutes } from './interaction/routes';
import { requireClientToken } from './internal/require-client-token';
import { internalRoutes } from './internal/routes';
import { createUserAdmin } from './internal/user-admin';
import { createKeyEncryption } from './keys/key-encryption';
import { createKeyStore } from './keys/key-store';
import { logoutHintRoute } from './logout/logout-hint-route';
import { createLogoutHints, LOGOUT_HINT_TTL_SECONDS } from './logout/logout-hints';
import { logoutSessionRoute } from './logout/logout-session-route';
import { createMailSender } from './mail/create-mail-sender';
import type { MailSender } from './mail/mail-sender';
import { createArtifactStore } from './oidc/artifact-store';
import { ACCOUNT_MANAGE_SCOPE, USERS_MANAGE_SCOPE } from './oidc/clients';
import { createProvider } from './oidc/create-provider';
import { createProviderHost } from './oidc/provider-host';
import { ACCOUNT_AUDIENCE, buildResources, INTERNAL_AUDIENCE } from './oidc/resources';
import { createPasswordReset } from './password-reset/password-reset';
import { createResetRequestLimiter, type ResetRequestLimits } from './password-reset/reset-rate-limit';
import { passwordResetRoutes } from './password-reset/reset-routes';
import { createResetTokens } from './password-reset/reset-tokens';
import { createRevocationRecord } from './revocation/revocation-record';
import { createRevocationRestorer } from './revocation/revocation-restorer';
import { createSessionAdmin } from './sessions/session-admin';
import { createSessionDevices, recordSessionDevices } from './sessions/session-devices';
import { createAdminTwoStepRule } from './two-step/admin-two-step';
import { createCodeAttemptLimit } from './two-step/code-attempt-limit';
import { createPendingSignIns } from './two-step/pending-sign-ins';
import { createTwoStepStore } from './two-step/two-step-store';
import { createUserStore } from './users/user-store';

/** How often expired provider artefacts and revocations are deleted from authdb (reads skip them anyway). */
const SWEEP_INTERVAL_MS = 10 * 60_000;

export interface AuthServiceDeps {
  config: AuthConfig;
  db: Database;
  /** Connection for the provider's storage, sessions and rate limits. */
  redis: RedisClient;
  logger: Logger;
  /** Overrides of the sign-in limits (tests). */
  loginLimits?: LoginLimits;
  /** Metrics, spans and GET /metrics (main.ts); tests may omit it. */
  telemetry?: ServiceTelemetry;
  /** The clock of two-step codes and reset links (tests move it; default Date.now). */
  now?: () => number;
  /** The mail port (default: from the configuration, SMTP or the outbox folder). */
  mail?: MailSender;
  /** Overrides of the "Forgot password?" limits (tests). */
  resetLimits?: ResetRequestLimits;
}

/**
 * Wires the auth service without listening: returns a Node request listener, the pieces tests reach
 * into, and start/stop for the key-reload timer. main.ts (and the test harness) listen.
 */
export function createAuthService({
  config,
  db,
  redis,
  logger,
  loginLimits,
  telemetry,
  now = Date.now,
  mail = createMailSender(config.mail),
  resetLimits,
}: AuthServiceDeps) {
  const users = createUserStore(db);
  const keyStore = createKeyStore({ db, encryption: createKeyEncryption(config.signingKeySecret) });
  const resources = buildResources(config);
  const record = createRevocationRecord({
    db,
    store: createRevocationStore({ redis, channelPrefix: config.redisKeyPrefix }),
  });
  const revocation: RevocationStore = record.store;
  const restorer = createRevocationRestorer({ redis, record, restoredKey: revocationKeys.restored, logger });
  const artifacts = createArtifactStore(db);
  const logoutHints = createLogoutHints(redis);
  const devices = createSessionDevices(db);
  const twoStep = createTwoStepStore({
    db,
    encryption: createKeyEncryption(config.signingKeySecret, 'totp-secret encryption'),
    now,
  });
  const adminTwoStep = createAdminTwoStepRule({ required: config.adminTwoStepRequired });
  const host = createProviderHost({
    keyStore,
    refreshIntervalMs: config.keyRefreshIntervalMs,
    logger,
    build: (keys) => {
      const provider = createProvider({
        config,
        redis,
        artifacts,
        users,
        keys,
        resources,
        logoutHints,
        revocation,
        adminTwoStep,
        hasTwoStep: (accountId) => twoStep.isEnabled(accountId),
        logger,
      });
      if (telemetry) countRefreshReuse(provider, telemetry.metrics.reuseDetections);
      recordSessionDevices(provider, devices, logger);
      return provider;
    },
  });
  const sessions = createSessionAdmin({ artifacts, host, revocation, devices, logger });
  const resetTokens = createResetTokens(now);
  const passwordReset = createPasswordReset({
    db,
    tokens: resetTokens,
    mail,
    sessions,
    logger,
    issuer: config.issuer,
  });
  let sweep: NodeJS.Timeout | undefined;

  const app = createServiceApp({ logger, db, redis });
  const metrics = telemetry?.metrics;
  if (telemetry && metrics) {
    app.route('/', metricsRoutes({ registry: metrics.registry, token: telemetry.metricsToken }));
  }
  app.route(
    '/',
    interactionRoutes({
      host,
      users,
      limiter: createLoginRateLimiter(redis, loginLimits),
      twoStep,
      pending: createPendingSignIns(redis),
      enrolments: createPendingSignIns(redis, undefined, 'two-step:enrolment'),
      adminTwoStep,
      passwordChanges: createPendingSignIns(redis, undefined, 'password-change:pending'),
      db,
      codeLimiter: createLoginRateLimiter(redis, loginLimits, 'rl:two-step-login'),
      logger,
      ...(metrics
        ? { signInMetrics: { failures: metrics.signInFailures, limited: metrics.signInLimited } }
        : {}),
    }),
  );
  app.route(
    '/',
    passwordResetRoutes({
      reset: passwordReset,
      limiter: createResetRequestLimiter(redis, resetLimits),
      logger,
      continueUrl: config.userWebUrl,
    }),
  );
  app.route('/', logoutHintRoute({ host, hints: logoutHints, ttlSeconds: LOGOUT_HINT_TTL_SECONDS, logger }));
  app.route('/', logoutSessionRoute({ host, sessions, logger }));
  app.route(
    '/internal/v1',
    internalRoutes({
      users,
      admin: createUserAdmin({ db, revocation, sessions, logger }),
      sessions,
      passwordReset,
      auth: requireClientToken({
        host,
        issuer: config.issuer,
        audience: INTERNAL_AUDIENCE,
        clientId: 'admin-api',
        scope: USERS_MANAGE_SCOPE,
      }),
    }),
  );

  app.route(
    '/internal/account/v1',
    accountRoutes({
      db,
      users,
      sessions,
      changePassword: createPasswordChange({ db, redis, sessions, logger }),
      twoStep,
      codeAttempts: createCodeAttemptLimit(redis),
      auth: requireClientToken({
        host,
        issuer: config.issuer,
        audience: ACCOUNT_AUDIENCE,
        clientId: 'user-api',
        scope: ACCOUNT_MANAGE_SCOPE,
      }),
    }),
  );

  const nodeListener = createNodeListener({
    app,
    host,
    logger,
    issuer: config.issuer,
    trustProxy: config.trustProxy,
  });
  return {
    listener: telemetry
      ? observeNodeListener(nodeListener, {
          httpDuration: telemetry.metrics.httpDuration,
          tracer: telemetry.tracer,
          routeOf: routeLabel,
        })
      : nodeListener,
    app,
    host,
    users,
    keyStore,
    sessions,
    twoStep,
    passwordReset,
    mail,
    revocation,
    artifacts,
    record,
    restorer,
    async start() {
      await keyStore.ensureKey();
      await restorer.start();
      await host.start();
      sweep = setInterval(() => {
        Promise.all([
          artifacts.deleteExpired(),
          record.deleteExpired(),
          devices.deleteStale(),
          resetTokens.deleteExpired(db),
        ]).catch((err: unknown) =>
          logger.warn({ err }, 'could not delete expired provider artefacts and revocations'),
        );
      }, SWEEP_INTERVAL_MS);
      sweep.unref();
    },
    stop() {
      host.stop();
      restorer.stop();
      clearInterval(sweep);
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
