import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, migrate, repoDataDir } from '@bff-auth/db';
import { EnvError } from '@bff-auth/service-kit/env';
import { listen } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import { connectRevocationStore, createTokenVerifier } from '@bff-auth/token-verifier';
import { createApp, USER_API_AUDIENCE } from './app';
import { type Env, loadEnv } from './env';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

async function main(env: Env) {
  const logger = createLogger({ name: 'user-api', level: env.LOG_LEVEL });
  const db = await createDatabase({
    name: 'apidb',
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR ? join(env.DATA_DIR, 'apidb') : repoDataDir('apidb'),
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
  const server = await listen(
    createApp({
      db,
      redis,
      verifier,
      logger,
      rateLimit: { points: env.API_RATE_LIMIT_PER_HOUR, durationSec: 3600 },
    }),
    {
      port: env.PORT,
      hostname: env.HOST,
    },
  );
  logger.info({ url: server.url, database: db.kind }, 'user-api listening');

  const stop = async (signal: string) => {
    logger.info({ signal }, 'user-api stopping');
    await server.close();
    redis.disconnect();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

try {
  await main(loadEnv());
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
