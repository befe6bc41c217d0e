import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, migrate, repoDataDir } from '@bff-auth/db';
import { EnvError } from '@bff-auth/service-kit/env';
import { listen } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import { connectRevocationStore, createTokenVerifier } from '@bff-auth/token-verifier';
import { ADMIN_API_AUDIENCE, createApp } from './app';
import { type Env, loadEnv } from './env';
import { createAuthServiceClient } from './upstream/auth-service-client';
import { createClientCredentialsTokenSource } from './upstream/client-credentials';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The scope admin-api asks for on the auth service's internal API. */
const INTERNAL_API_SCOPE = 'users:manage';

async function main(env: Env) {
  const logger = createLogger({ name: 'admin-api', level: env.LOG_LEVEL });
  const db = await createDatabase({
    name: 'admindb',
    url: env.DATABASE_URL,
    dataDir: env.DATABASE_URL
      ? undefined
      : env.DATA_DIR
        ? join(env.DATA_DIR, 'admindb')
        : repoDataDir('admindb'),
  });
  await migrate(db, MIGRATIONS_DIR);
  const { redis, store } = connectRevocationStore({
    url: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    name: 'admin-api',
  });
  const verifier = createTokenVerifier({
    issuer: env.AUTH_ISSUER,
    audience: ADMIN_API_AUDIENCE,
    jwksUrl: env.AUTH_JWKS_URL,
    revocation: store,
  });
  const users = createAuthServiceClient({
    baseUrl: env.AUTH_INTERNAL_URL,
    tokens: createClientCredentialsTokenSource({
      issuer: env.AUTH_ISSUER,
      tokenUrl: env.AUTH_TOKEN_URL,
      clientId: env.ADMIN_API_CLIENT_ID,
      clientSecret: env.ADMIN_API_CLIENT_SECRET,
      resource: env.AUTH_INTERNAL_RESOURCE,
      scope: INTERNAL_API_SCOPE,
    }),
  });
  const server = await listen(createApp({ db, redis, verifier, users, logger }), {
    port: env.PORT,
    hostname: env.HOST,
  });
  logger.info({ url: server.url, database: db.kind }, 'admin-api listening');

  const stop = async (signal: string) => {
    logger.info({ signal }, 'admin-api stopping');
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
