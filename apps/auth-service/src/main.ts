import { createServer } from 'node:http';
import { EnvError } from '@bff-auth/service-kit/env';
import { MAX_HEADER_BYTES } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { startTracing } from '@bff-auth/service-kit/tracing';
import { type AuthService, createAuthService } from './app';
import { openAuthDatabase } from './database';
import { loadEnv } from './env';
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
  const redis = createRedis({
    url: config.redisUrl,
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
    telemetry: { metrics, metricsToken: config.telemetry.metricsToken, tracer: tracing.tracer },
  });
  const started = service;
  await started.start();
  if (config.demo.seed) await seedDemoUsers(started.users, config.demo, logger);

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, started.listener);
  server.listen(config.port, config.host, () => {
    logger.info({ issuer: config.issuer, port: config.port, database: db.kind }, 'auth-service ready');
  });

  const shutdown = () => {
    started.stop();
    server.close();
    server.closeAllConnections();
    void Promise.allSettled([db.close(), redis.quit(), tracing.shutdown()]).then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  if (error instanceof EnvError) console.error(`auth-service: ${error.message}`);
  else console.error('auth-service failed to start:', error);
  process.exit(1);
});
