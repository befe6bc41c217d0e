import { fileURLToPath } from 'node:url';
import { openServiceDatabase } from '@bff-auth/db';
import { redisEndpointFromEnv } from '@bff-auth/service-kit/env';
import { createLogger } from '@bff-auth/service-kit/logger';
import { runService, serveService } from '@bff-auth/service-kit/service';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { startTracing } from '@bff-auth/service-kit/tracing';
import { createServiceVerifier } from '@bff-auth/token-verifier';
import { createApp, USER_API_AUDIENCE } from './app';
import { type Env, loadEnv } from './env';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

async function main(env: Env) {
  const tracing = startTracing({
    serviceName: 'user-api',
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
  });
  const telemetry = {
    metrics: createServiceMetrics({ service: 'user-api' }),
    metricsToken: env.METRICS_TOKEN,
    tracer: tracing.tracer,
  };
  const logger = createLogger({ name: 'user-api', level: env.LOG_LEVEL });
  const db = await openServiceDatabase({
    name: 'apidb',
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    migrationsDir: MIGRATIONS_DIR,
  });
  const { verifier, redis } = createServiceVerifier({
    issuer: env.AUTH_ISSUER,
    audience: USER_API_AUDIENCE,
    jwksUrl: env.AUTH_JWKS_URL,
    redis: redisEndpointFromEnv(env),
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    name: 'user-api',
  });
  await serveService({
    name: 'user-api',
    app: createApp({
      db,
      redis,
      verifier,
      logger,
      telemetry,
      rateLimit: { points: env.API_RATE_LIMIT_PER_HOUR, durationSec: 3600 },
    }),
    port: env.PORT,
    hostname: env.HOST,
    logger,
    db,
    redis,
    tracing,
  });
}

await runService(loadEnv, main);
