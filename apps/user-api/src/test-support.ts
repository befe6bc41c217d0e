import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createRevocationStore, type RevocationStore } from '@bff-auth/revocation';
import { createLogger } from '@bff-auth/service-kit/logger';
import { createTestRedis } from '@bff-auth/service-kit/testing';
import { createTokenVerifier } from '@bff-auth/token-verifier';
import {
  createIssuerKeys,
  createTokenFactory,
  type IssuerKeys,
  type JwksServer,
  startJwksServer,
  type TokenFactory,
} from '@bff-auth/token-verifier/testing';
import type { Redis } from 'ioredis';
import { type AppDeps, createApp, USER_API_AUDIENCE } from './app';

export const TEST_ISSUER = 'http://auth.test';
const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface UserApiHarness {
  app: ReturnType<typeof createApp>;
  keys: IssuerKeys;
  jwks: JwksServer;
  tokens: TokenFactory;
  revocation: RevocationStore;
  redis: Redis;
  /** Everything pino wrote, one JSON line per entry. */
  logs: string[];
  /** `Authorization` header value for a fresh valid token of `sub`. */
  bearer(sub: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * user-api wired to test dependencies that are all real: shared Redis under a unique prefix, an
 * in-memory PGlite (or a fresh database on DATABASE_URL), and a JWKS served over HTTP.
 */
export async function startUserApi(
  label: string,
  options: Pick<AppDeps, 'rateLimit'> = {},
): Promise<UserApiHarness> {
  const t = await createTestRedis(`user-api-${label}`);
  const db = await createTestDatabase(`user_api_${label}`);
  await migrate(db, MIGRATIONS_DIR);
  const keys = await createIssuerKeys();
  const jwks = await startJwksServer([keys.rsa.publicJwk, keys.ec.publicJwk]);
  const revocation = createRevocationStore({ redis: t.redis, channelPrefix: t.prefix });
  const verifier = createTokenVerifier({
    issuer: TEST_ISSUER,
    audience: USER_API_AUDIENCE,
    jwksUrl: jwks.jwksUrl,
    revocation,
  });
  const logs: string[] = [];
  const logger = createLogger({
    name: 'user-api',
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const app = createApp({ db, redis: t.redis, verifier, logger, ...options });
  const tokens = createTokenFactory({ key: keys.rsa, issuer: TEST_ISSUER, audience: USER_API_AUDIENCE });
  return {
    app,
    keys,
    jwks,
    tokens,
    revocation,
    redis: t.redis,
    logs,
    bearer: async (sub, claims = {}) => `Bearer ${await tokens.sign({ claims: { sub, ...claims } })}`,
    async close() {
      await jwks.close();
      await db.cleanup();
      await t.cleanup();
    },
  };
}
