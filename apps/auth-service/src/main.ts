import { createServer } from 'node:http';
import { EnvError } from '@bff-auth/service-kit/env';
import { MAX_HEADER_BYTES } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import {
  closeGracefully,
  createDrainState,
  drainAwareListener,
  onShutdown,
} from '@bff-auth/service-kit/service';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { startTracing } from '@bff-auth/service-kit/tracing';
import { type AuthService, createAuthService } from './app';
import { openAuthDatabase } from './database';
import { loadEnv } from './env';
import { LOGIN_LIMITS } from './interaction/login-rate-limit';
import { seedDemoUsers } from './users/seed-demo';

async function main() {
  const config = loadEnv();
  const tracing = startTracing({
    serviceName: 'auth-service',
    endpoint: config.telemetry.otlpEndpoint,
    protocol: config.telemetry.otlpProtocol,
  });
  const logger = createLogger({ name: 'auth-service', level: config.logLevel });
  const db = await openAuthDatabase(config);
  // Not fail-fast: provider storage may wait out a reconnect (offline queue, 3 retries), but every
  // command still gives up after DEFAULT_PATIENT_COMMAND_TIMEOUT_MS, so a frozen Redis fails a sign-in
  // instead of hanging it. Connected before listening, so the first requests find it ready.
  const redis = createRedis({
    ...config.redis,
    keyPrefix: config.redisKeyPrefix,
    failFast: false,
    name: 'auth-service',
  });
  await waitForRedis(redis, 10_000);

  // The service is created below; the gauge is only read by scrapes, after it has started.
  let service: AuthService | undefined;
  const metrics = createServiceMetrics({
    service: 'auth-service',
    signingKeyActivatedAt: () => service?.host.keys.signing.activatesAt ?? new Date(),
  });
  service = createAuthService({
    config,
    db,
    redis,
    logger,
    loginLimits: { ...LOGIN_LIMITS, attemptsPerIp: config.signInAttemptsPerIp },
    telemetry: { metrics, metricsToken: config.telemetry.metricsToken, tracer: tracing.tracer },
  });
  const started = service;
  await started.start();
  if (config.demo.seed) await seedDemoUsers(started.users, config.demo, logger);

  // SPEC §7 on SIGTERM: /ready 503, no new connections, in-flight requests finish, gone within 10 s.
  const drain = createDrainState();
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    drainAwareListener(started.listener, drain),
  );
  server.listen(config.port, config.host, () => {
    logger.info(
      { issuer: config.issuer, port: config.port, database: db.kind, mail: started.mail.description },
      'auth-service ready',
    );
  });

  onShutdown({
    name: 'auth-service',
    logger,
    close: async () => {
      drain.start();
      await closeGracefully(server);
      started.stop();
      await Promise.allSettled([db.close(), redis.quit(), tracing.shutdown()]);
    },
  });
}

main().catch((error) => {
  if (error instanceof EnvError) console.error(`auth-service: ${error.message}`);
  else console.error('auth-service failed to start:', error);
  process.exit(1);
});
