import { fileURLToPath } from 'node:url';
import { openServiceDatabase } from '@bff-auth/db';
import { redisEndpointFromEnv } from '@bff-auth/service-kit/env';
import { createLogger } from '@bff-auth/service-kit/logger';
import { runService, serveService } from '@bff-auth/service-kit/service';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { startTracing } from '@bff-auth/service-kit/tracing';
import { createClientCredentialsTokenSource } from '@bff-auth/service-kit/upstream';
import { accessTokenProfileFromEnv, createServiceVerifier } from '@bff-auth/token-verifier';
import { createAccountClient } from './account/account-client';
import { createApp } from './app';
import { type Env, loadEnv } from './env';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The scope user-api asks for on the auth service's account API. */
const ACCOUNT_API_SCOPE = 'account:manage';

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
    namePrefix: env.DATABASE_NAME_PREFIX,
    dataDir: env.DATA_DIR,
    migrationsDir: MIGRATIONS_DIR,
  });
  const { verifier, redis } = createServiceVerifier({
    issuer: env.AUTH_ISSUER,
    audience: env.USER_API_AUDIENCE,
    jwksUrl: env.AUTH_JWKS_URL,
    ...accessTokenProfileFromEnv(env),
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
      account: createAccountClient({
        baseUrl: env.AUTH_ACCOUNT_URL,
        tokens: createClientCredentialsTokenSource({
          issuer: env.AUTH_ISSUER,
          tokenUrl: env.AUTH_TOKEN_URL,
          clientId: env.USER_API_CLIENT_ID,
          clientSecret: env.USER_API_CLIENT_SECRET,
          resource: env.AUTH_ACCOUNT_RESOURCE,
          scope: ACCOUNT_API_SCOPE,
        }),
      }),
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
