import { fileURLToPath } from 'node:url';
import { ACR } from '@bff-auth/claims';
import { createTestDatabase, migrate, type Queryable } from '@bff-auth/db';
import type { RevocationStore } from '@bff-auth/revocation';
import {
  type IssuerKeys,
  type JwksServer,
  startResourceServerFixture,
  type TokenFactory,
} from '@bff-auth/token-verifier/testing';
import { ADMIN_API_AUDIENCE, type AppDeps, createApp } from './app';
import { type AuditEntry, createAuditLog } from './audit/audit-log';
import { type FakeAuthService, startFakeAuthService } from './testing/fake-auth-service';
import { createAuthServiceClient } from './upstream/auth-service-client';
import { createTokenExchangeSource } from './upstream/client-credentials';

export { TEST_ISSUER } from '@bff-auth/token-verifier/testing';
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AdminApiHarness {
  app: ReturnType<typeof createApp>;
  /** What the app was built from, to build another one over the same parts. */
  deps: AppDeps;
  keys: IssuerKeys;
  jwks: JwksServer;
  tokens: TokenFactory;
  revocation: RevocationStore;
  upstream: FakeAuthService;
  /** admindb: the audit log. */
  db: Queryable;
  logs: string[];
  /**
   * `Authorization` value for a valid admin-api token of `sub` with `roles`, signed in with the second
   * factor just now (step-up satisfied) unless `claims` say otherwise.
   */
  bearer(sub: string, roles?: string[], claims?: Record<string, unknown>): Promise<string>;
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
  { dpop, ...options }: Pick<AppDeps, 'rateLimit'> & { dpop?: 'required' | 'allowed' } = {},
): Promise<AdminApiHarness> {
  const fixture = await startResourceServerFixture({
    service: 'admin-api',
    label,
    audience: ADMIN_API_AUDIENCE,
    ...(dpop ? { dpop } : {}),
  });
  const db = await createTestDatabase(`admin_api_${label}`);
  await migrate(db, MIGRATIONS_DIR);
  const upstream = await startFakeAuthService();
  const users = createAuthServiceClient({
    baseUrl: upstream.internalUrl,
    timeoutMs: 2_000,
    tokens: createTokenExchangeSource({
      issuer: upstream.issuer,
      tokenUrl: upstream.tokenUrl,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      resource: upstream.internalResource,
    }),
  });
  const { redis, verifier, logger, tokens } = fixture;
  const audit = createAuditLog(db);
  const deps: AppDeps = { db, redis, verifier, users, logger, ...options };
  return {
    app: createApp(deps),
    deps,
    keys: fixture.keys,
    jwks: fixture.jwks,
    tokens,
    revocation: fixture.revocation,
    upstream,
    db,
    logs: fixture.logs,
    bearer: async (sub, roles = ['admin'], claims = {}) =>
      `Bearer ${await tokens.sign({
        claims: {
          sub,
          roles,
          client_id: 'admin-web',
          acr: ACR.twoStep,
          auth_time: Math.floor(Date.now() / 1000),
          ...claims,
        },
      })}`,
    auditEntries: async (filter = {}) => (await audit.list({ ...filter, page: 1, pageSize: 100 })).items,
    async close() {
      await upstream.close();
      await db.cleanup();
      await fixture.close();
    },
  };
}
