import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import type { RevocationStore } from '@bff-auth/revocation';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import {
  type IssuerKeys,
  type JwksServer,
  startResourceServerFixture,
  type TokenFactory,
} from '@bff-auth/token-verifier/testing';
import { type AppDeps, createApp, USER_API_AUDIENCE } from './app';

export { TEST_ISSUER } from '@bff-auth/token-verifier/testing';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface UserApiHarness {
  app: ReturnType<typeof createApp>;
  keys: IssuerKeys;
  jwks: JwksServer;
  tokens: TokenFactory;
  revocation: RevocationStore;
  redis: RedisClient;
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
  { dpop, ...options }: Pick<AppDeps, 'rateLimit'> & { dpop?: 'required' | 'allowed' } = {},
): Promise<UserApiHarness> {
  const fixture = await startResourceServerFixture({
    service: 'user-api',
    label,
    audience: USER_API_AUDIENCE,
    ...(dpop ? { dpop } : {}),
  });
  const db = await createTestDatabase(`user_api_${label}`);
  await migrate(db, MIGRATIONS_DIR);
  const { redis, verifier, logger, tokens } = fixture;
  return {
    app: createApp({ db, redis, verifier, logger, ...options }),
    keys: fixture.keys,
    jwks: fixture.jwks,
    tokens,
    revocation: fixture.revocation,
    redis,
    logs: fixture.logs,
    bearer: async (sub, claims = {}) => `Bearer ${await tokens.sign({ claims: { sub, ...claims } })}`,
    async close() {
      await db.cleanup();
      await fixture.close();
    },
  };
}
