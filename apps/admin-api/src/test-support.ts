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
import { ADMIN_API_AUDIENCE, type AppDeps, createApp } from './app';
import { type AuditEntry, createAuditLog } from './audit/audit-log';
import { type FakeAuthService, startFakeAuthService } from './testing/fake-auth-service';
import { createAuthServiceClient } from './upstream/auth-service-client';
import { createClientCredentialsTokenSource } from './upstream/client-credentials';

export const TEST_ISSUER = 'http://auth.test';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AdminApiHarness {
  app: ReturnType<typeof createApp>;
  keys: IssuerKeys;
  jwks: JwksServer;
  tokens: TokenFactory;
  revocation: RevocationStore;
  upstream: FakeAuthService;
  logs: string[];
  /** `Authorization` value for a valid admin-api token of `sub` with `roles`. */
  bearer(sub: string, roles?: string[]): Promise<string>;
  /** Audit entries, newest first. */
  auditEntries(filter?: { actor?: string; action?: string; target?: string }): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/**
 * admin-api wired to real Redis (unique prefix), PGlite or DATABASE_URL, a JWKS over HTTP and the
 * stand-in auth service (see fake-auth-service.ts for why it is a stand-in).
 */
export async function startAdminApi(
  label: string,
  options: Pick<AppDeps, 'rateLimit'> = {},
): Promise<AdminApiHarness> {
  const t = await createTestRedis(`admin-api-${label}`);
  const db = await createTestDatabase(`admin_api_${label}`);
  await migrate(db, MIGRATIONS_DIR);
  const keys = await createIssuerKeys();
  const jwks = await startJwksServer([keys.rsa.publicJwk, keys.ec.publicJwk]);
  const revocation = createRevocationStore({ redis: t.redis, channelPrefix: t.prefix });
  const verifier = createTokenVerifier({
    issuer: TEST_ISSUER,
    audience: ADMIN_API_AUDIENCE,
    jwksUrl: jwks.jwksUrl,
    revocation,
  });
  const upstream = await startFakeAuthService();
  const users = createAuthServiceClient({
    baseUrl: upstream.internalUrl,
    timeoutMs: 2_000,
    tokens: createClientCredentialsTokenSource({
      issuer: upstream.issuer,
      tokenUrl: upstream.tokenUrl,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      resource: upstream.internalResource,
      scope: 'users:manage',
    }),
  });
  const logs: string[] = [];
  const logger = createLogger({
    name: 'admin-api',
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const app = createApp({ db, redis: t.redis, verifier, users, logger, ...options });
  const tokens = createTokenFactory({ key: keys.rsa, issuer: TEST_ISSUER, audience: ADMIN_API_AUDIENCE });
  const audit = createAuditLog(db);
  return {
    app,
    keys,
    jwks,
    tokens,
    revocation,
    upstream,
    logs,
    bearer: async (sub, roles = ['admin']) =>
      `Bearer ${await tokens.sign({ claims: { sub, roles, client_id: 'admin-web' } })}`,
    auditEntries: async (filter = {}) => (await audit.list({ ...filter, page: 1, pageSize: 100 })).items,
    async close() {
      await upstream.close();
      await jwks.close();
      await db.cleanup();
      await t.cleanup();
    },
  };
}
