import { fileURLToPath } from 'node:url';
import { openServiceDatabase } from '@bff-auth/db';
import { redisEndpointFromEnv } from '@bff-auth/service-kit/env';
import { createLogger } from '@bff-auth/service-kit/logger';
import { runService, serveService } from '@bff-auth/service-kit/service';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { startTracing } from '@bff-auth/service-kit/tracing';
import { accessTokenProfileFromEnv, createServiceVerifier } from '@bff-auth/token-verifier';
import { createApp } from './app';
import { type Env, loadEnv } from './env';
import { createStepUpRule } from './step-up/step-up';
import { createAuthServiceClient } from './upstream/auth-service-client';
import { createTokenExchangeSource } from './upstream/client-credentials';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The scope admin-api asks for on the auth service's internal API. */

async function main(env: Env) {
  const tracing = startTracing({
    serviceName: 'admin-api',
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
  });
  const telemetry = {
    metrics: createServiceMetrics({ service: 'admin-api' }),
    metricsToken: env.METRICS_TOKEN,
    tracer: tracing.tracer,
  };
  const logger = createLogger({ name: 'admin-api', level: env.LOG_LEVEL });
  const db = await openServiceDatabase({
    name: 'admindb',
    url: env.DATABASE_URL,
    namePrefix: env.DATABASE_NAME_PREFIX,
    dataDir: env.DATA_DIR,
    migrationsDir: MIGRATIONS_DIR,
  });
  const { verifier, redis } = createServiceVerifier({
    issuer: env.AUTH_ISSUER,
    audience: env.ADMIN_API_AUDIENCE,
    jwksUrl: env.AUTH_JWKS_URL,
    ...accessTokenProfileFromEnv(env),
    redis: redisEndpointFromEnv(env),
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    name: 'admin-api',
  });
  const users = createAuthServiceClient({
    baseUrl: env.AUTH_INTERNAL_URL,
    tokens: createTokenExchangeSource({
      issuer: env.AUTH_ISSUER,
      tokenUrl: env.AUTH_TOKEN_URL,
      clientId: env.ADMIN_API_CLIENT_ID,
      clientSecret: env.ADMIN_API_CLIENT_SECRET,
      resource: env.AUTH_INTERNAL_RESOURCE,
    }),
  });
  await serveService({
    name: 'admin-api',
    app: createApp({
      db,
      redis,
      verifier,
      users,
      logger,
      telemetry,
      stepUp: createStepUpRule({
        twoStepRequired: env.ADMIN_TWO_STEP_REQUIRED,
        maxAgeSeconds: env.STEP_UP_MAX_AGE,
      }),
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
