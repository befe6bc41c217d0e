import { fileURLToPath } from 'node:url';
import { createDatabase, dataDirFor, migrate } from '@bff-auth/db';
import { createLogger } from '@bff-auth/service-kit/logger';
import { runService, serveService } from '@bff-auth/service-kit/service';
import { connectRevocationStore, createTokenVerifier } from '@bff-auth/token-verifier';
import { createApp, USER_API_AUDIENCE } from './app';
import { type Env, loadEnv } from './env';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

async function main(env: Env) {
  const logger = createLogger({ name: 'user-api', level: env.LOG_LEVEL });
  const db = await createDatabase({
    name: 'apidb',
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : dataDirFor('apidb', env.DATA_DIR),
  });
  await migrate(db, MIGRATIONS_DIR);
  const { redis, store } = connectRevocationStore({
    url: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    name: 'user-api',
  });
  const verifier = createTokenVerifier({
    issuer: env.AUTH_ISSUER,
    audience: USER_API_AUDIENCE,
    jwksUrl: env.AUTH_JWKS_URL ?? `${env.AUTH_ISSUER.replace(/\/+$/, '')}/jwks`,
    revocation: store,
  });
  await serveService({
    name: 'user-api',
    app: createApp({
      db,
      redis,
      verifier,
      logger,
      rateLimit: { points: env.API_RATE_LIMIT_PER_HOUR, durationSec: 3600 },
    }),
    port: env.PORT,
    hostname: env.HOST,
    logger,
    db,
    redis,
  });
}

await runService(loadEnv, main);
