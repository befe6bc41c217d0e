import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type Database, migrate } from '@bff-auth/db';
import { MAX_HEADER_BYTES } from '@bff-auth/service-kit/http';
import { createLogger } from '@bff-auth/service-kit/logger';
import type { ServiceTelemetry } from '@bff-auth/service-kit/telemetry';
import { createTestRedis, freePort, type TestRedis } from '@bff-auth/service-kit/testing';
import { type AuthService, createAuthService } from '../app';
import { type AuthConfig, loadEnv } from '../env';
import type { LoginLimits } from '../interaction/login-rate-limit';
import type { MailSender } from '../mail/mail-sender';
import { readOutbox } from '../mail/outbox-mail-sender';
import type { ResetRequestLimits } from '../password-reset/reset-rate-limit';
import { pushAuthorizationRequest, type SignInOptions, signInOverHttp, tokenRequest } from './browser-flow';

export const TEST_SECRETS = {
  'user-web': 'test-user-web-secret',
  'admin-web': 'test-admin-web-secret',
  'admin-api': 'test-admin-api-secret',
  'user-api': 'test-user-api-secret',
} as const;

export interface StartAuthServiceOptions {
  /** Access-token lifetime in seconds (default 300). */
  accessTokenTtl?: number;
  /** Base URLs of the BFF clients (redirect and back-channel logout URIs hang off them). */
  userWebUrl?: string;
  adminWebUrl?: string;
  loginLimits?: LoginLimits;
  /** The mail port (default: the outbox folder). */
  mail?: MailSender;
  /** Limits of "Forgot password?" (default the real ones). */
  resetLimits?: ResetRequestLimits;
  jwksCacheMaxAgeSeconds?: number;
  keyRefreshIntervalSeconds?: number;
  /** Reuse these (to restart a service over the same state). */
  db?: Database;
  redis?: TestRedis;
  port?: number;
  /** Extra environment, as the service would read it. */
  env?: Record<string, string>;
  /** Metrics, spans and GET /metrics, as main.ts wires them. */
  telemetry?: ServiceTelemetry;
  /** The clock of two-step codes (default Date.now). */
  now?: () => number;
  /** Where the service's log lines go (default: nowhere, or stdout at TEST_LOG_LEVEL). */
  logDestination?: NodeJS.WritableStream;
}

/**
 * Starts a real auth service for tests: in-memory PGlite (or a fresh PostgreSQL database when
 * DATABASE_URL is set), the shared Redis under a unique key prefix, a real HTTP server on a free port.
 */
export async function startAuthService(options: StartAuthServiceOptions = {}) {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const redis = options.redis ?? (await createTestRedis('auth'));
  const ownDb = !options.db;
  const db = options.db ?? (await createTestDatabase('authdb'));
  await migrate(db, fileURLToPath(new URL('../../migrations', import.meta.url)));
  // The mail outbox of this service only (a fresh folder, removed by close()).
  const outboxDir = options.env?.MAIL_OUTBOX_DIR ?? (await mkdtemp(join(tmpdir(), 'auth-outbox-')));

  const config: AuthConfig = loadEnv({
    NODE_ENV: 'test',
    AUTH_ISSUER: issuer,
    REDIS_KEY_PREFIX: redis.prefix,
    ACCESS_TOKEN_TTL: String(options.accessTokenTtl ?? 300),
    USER_WEB_URL: options.userWebUrl ?? 'http://localhost:3002',
    ADMIN_WEB_URL: options.adminWebUrl ?? 'http://localhost:3003',
    USER_WEB_CLIENT_SECRET: TEST_SECRETS['user-web'],
    ADMIN_WEB_CLIENT_SECRET: TEST_SECRETS['admin-web'],
    ADMIN_API_CLIENT_SECRET: TEST_SECRETS['admin-api'],
    USER_API_CLIENT_SECRET: TEST_SECRETS['user-api'],
    JWKS_CACHE_MAX_AGE: String(options.jwksCacheMaxAgeSeconds ?? 600),
    KEY_REFRESH_INTERVAL: String(options.keyRefreshIntervalSeconds ?? 15),
    COOKIE_KEYS: 'test-cookie-key',
    SIGNING_KEY_SECRET: 'test-signing-key-secret',
    MAIL_OUTBOX_DIR: outboxDir,
    // Off unless a test turns it on: most tests sign admins in with a password alone.
    ADMIN_TWO_STEP_REQUIRED: 'false',
    ...options.env,
  });
  const logger = options.logDestination
    ? createLogger({ name: 'auth-service', level: 'debug', destination: options.logDestination })
    : createLogger({ name: 'auth-service', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const service: AuthService = createAuthService({
    config,
    db,
    redis: redis.redis,
    logger,
    loginLimits: options.loginLimits,
    ...(options.resetLimits ? { resetLimits: options.resetLimits } : {}),
    ...(options.mail ? { mail: options.mail } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  await service.start();

  const server: Server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, service.listener);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const redirectUri = (clientId: 'user-web' | 'admin-web') =>
    `${clientId === 'user-web' ? config.userWebUrl : config.adminWebUrl}/api/auth/callback`;

  return {
    issuer,
    url,
    internalUrl: `${url}/internal/v1`,
    internalResource: config.resources.internal,
    /** The self-service account API user-api calls, and its resource indicator. */
    accountUrl: `${url}/internal/account/v1`,
    accountResource: config.resources.account,
    config,
    service,
    db,
    redis,
    secrets: TEST_SECRETS,
    outboxDir,
    /** The messages the service has sent so far (after its background sends have finished). */
    async outbox() {
      await service.passwordReset.settled();
      return readOutbox(outboxDir);
    },
    createUser: (user: { email: string; password: string; name?: string; roles?: string[] }) =>
      service.users.create({
        name: user.name ?? user.email.split('@')[0]!,
        roles: user.roles ?? ['user'],
        ...user,
      }),
    /** The whole code flow over HTTP; resolves to the token response or throws with the page text. */
    async signIn(
      email: string,
      password: string,
      opts: { clientId?: 'user-web' | 'admin-web' } & Partial<
        Pick<SignInOptions, 'resource' | 'jar' | 'scope' | 'code' | 'setupCode' | 'extraParams'>
      > = {},
    ) {
      const clientId = opts.clientId ?? 'user-web';
      const result = await signInOverHttp({
        issuer,
        clientId,
        clientSecret: TEST_SECRETS[clientId],
        redirectUri: redirectUri(clientId),
        email,
        password,
        ...opts,
      });
      if (!result.ok) throw new Error(`sign-in failed (${result.status}): ${result.page.slice(0, 500)}`);
      return result.tokens;
    },
    signInOverHttp: (
      opts: Omit<SignInOptions, 'issuer' | 'clientSecret' | 'redirectUri'> & {
        clientId: 'user-web' | 'admin-web';
      },
    ) =>
      signInOverHttp({
        issuer,
        clientSecret: TEST_SECRETS[opts.clientId],
        redirectUri: redirectUri(opts.clientId),
        ...opts,
      }),
    /**
     * The authorization URL a browser opens for these parameters, pushed first (PAR) as the BFFs do;
     * throws with the provider's answer when the push is refused.
     */
    async authorizeUrl(clientId: 'user-web' | 'admin-web', params: Record<string, string>): Promise<URL> {
      const pushed = await pushAuthorizationRequest(
        { issuer, clientId, clientSecret: TEST_SECRETS[clientId] },
        params,
      );
      if (!pushed.ok) throw new Error(`PAR refused: ${pushed.status} ${JSON.stringify(pushed.body)}`);
      return pushed.url;
    },
    /** Pushes authorization parameters as the client (PAR) and returns the provider's answer. */
    pushAuthorization: (clientId: 'user-web' | 'admin-web', params: Record<string, string>) =>
      pushAuthorizationRequest({ issuer, clientId, clientSecret: TEST_SECRETS[clientId] }, params),
    /** A client-credentials token for admin-api on the internal API. */
    async adminApiToken(scope = 'users:manage') {
      const { body } = await tokenRequest(
        issuer,
        { id: 'admin-api', secret: TEST_SECRETS['admin-api'] },
        { grant_type: 'client_credentials', scope, resource: config.resources.internal },
      );
      return body.access_token as string;
    },
    /** A client-credentials token for user-api on the account API. */
    async userApiToken(scope = 'account:manage') {
      const { body } = await tokenRequest(
        issuer,
        { id: 'user-api', secret: TEST_SECRETS['user-api'] },
        { grant_type: 'client_credentials', scope, resource: config.resources.account },
      );
      return body.access_token as string;
    },
    tokenRequest: (clientId: keyof typeof TEST_SECRETS, params: Record<string, string>) =>
      tokenRequest(issuer, { id: clientId, secret: TEST_SECRETS[clientId] }, params),
    /** Stops the server; `keepState` leaves Redis and the database for a restart. */
    async close({ keepState = false } = {}) {
      service.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (keepState) return;
      if (ownDb) await (db as Database & { cleanup(): Promise<void> }).cleanup();
      if (!options.env?.MAIL_OUTBOX_DIR) await rm(outboxDir, { recursive: true, force: true });
      if (!options.redis) await redis.cleanup();
    },
  };
}
export type TestAuthService = Awaited<ReturnType<typeof startAuthService>>;
