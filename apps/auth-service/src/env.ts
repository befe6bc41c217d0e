import { dataDirFor } from '@bff-auth/db';
import {
  databaseNamePrefix,
  devDefault,
  intFromEnv,
  LOG_LEVELS,
  parseEnv,
  redisEndpointFromEnv,
  redisEnvShape,
} from '@bff-auth/service-kit/env';
import { newPasswordSchema } from '@bff-auth/service-kit/passwords';
import { telemetryEnvShape } from '@bff-auth/service-kit/telemetry';
import { z } from 'zod';
import { REFRESH_REUSE_GRACE_SECONDS } from './oidc/lifetimes';

const url = z.url({ protocol: /^https?$/ });
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: intFromEnv(8002),
  HOST: z.string().default('127.0.0.1'),
  AUTH_ISSUER: url.default('http://localhost:8002'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ...redisEnvShape,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_NAME_PREFIX: databaseNamePrefix,
  /** Root folder of the embedded PGlite data (authdb under it); default the repo's `.data`. */
  DATA_DIR: z.string().min(1).optional(),
  ACCESS_TOKEN_TTL: intFromEnv(300),
  /** Sign-in attempts per minute per client IP (SPEC §6: 20). */
  SIGN_IN_ATTEMPTS_PER_IP: intFromEnv(20),
  /** Accounts with the admin role need TOTP to use the admin app (SPEC §12). Default on. */
  ADMIN_TWO_STEP_REQUIRED: bool,
  USER_WEB_URL: url.default('http://localhost:3002'),
  ADMIN_WEB_URL: url.default('http://localhost:3003'),
  USER_API_RESOURCE: url.default('http://localhost:8001'),
  ADMIN_API_RESOURCE: url.default('http://localhost:8003'),
  AUTH_INTERNAL_RESOURCE: url.optional(),
  AUTH_ACCOUNT_RESOURCE: url.optional(),
  USER_WEB_CLIENT_SECRET: devDefault('dev-user-web-secret'),
  ADMIN_WEB_CLIENT_SECRET: devDefault('dev-admin-web-secret'),
  ADMIN_API_CLIENT_SECRET: devDefault('dev-admin-api-secret'),
  USER_API_CLIENT_SECRET: devDefault('dev-user-api-secret'),
  COOKIE_KEYS: devDefault('dev-cookie-key-change-me-in-production'),
  SIGNING_KEY_SECRET: devDefault('dev-signing-key-secret-change-me'),
  JWKS_CACHE_MAX_AGE: intFromEnv(600),
  KEY_REFRESH_INTERVAL: intFromEnv(15),
  /** Seconds; 0 turns the reuse grace off. */
  REFRESH_REUSE_GRACE: z.coerce.number().int().min(0).default(REFRESH_REUSE_GRACE_SECONDS),
  DEMO_USER_PASSWORD: newPasswordSchema.optional(),
  DEMO_ADMIN_PASSWORD: newPasswordSchema.optional(),
  SEED_DEMO_USERS: bool,
  TRUST_PROXY: bool,
  /** The mail port (SPEC §12): SMTP in production, else JSON files in the outbox folder. */
  SMTP_URL: z
    .union([
      z.literal('').transform(() => undefined),
      z.string().regex(/^smtps?:\/\/[^/]/, 'must be an smtp:// or smtps:// URL'),
    ])
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(320).default('Sign-in <no-reply@localhost>'),
  /** Default `<DATA_DIR or the repo's .data>/outbox`. */
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  /** Production without SMTP_URL refuses to start unless this says the outbox is meant. */
  MAIL_ALLOW_OUTBOX: bool,
  ...telemetryEnvShape,
});

/** Development passwords of the demo accounts (stated in the README). */
export const DEMO_DEFAULTS = { user: 'user-password', admin: 'admin-password' } as const;

export type AuthEnv = z.infer<typeof schema>;

/** Reads and checks the auth service's environment; throws EnvError naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env) {
  const env = parseEnv(
    schema.superRefine((value, ctx) => {
      const seedInProduction = value.NODE_ENV === 'production' && value.SEED_DEMO_USERS;
      if (seedInProduction && !(value.DEMO_USER_PASSWORD && value.DEMO_ADMIN_PASSWORD)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SEED_DEMO_USERS'],
          message: 'seeding demo users in production needs DEMO_USER_PASSWORD and DEMO_ADMIN_PASSWORD',
        });
      }
      if (value.NODE_ENV === 'production' && !value.SMTP_URL && !value.MAIL_ALLOW_OUTBOX) {
        ctx.addIssue({
          code: 'custom',
          path: ['SMTP_URL'],
          message:
            'production sends password reset links through SMTP: set SMTP_URL (and MAIL_FROM), or MAIL_ALLOW_OUTBOX=true to keep them in the local outbox',
        });
      }
    }),
    source,
  );
  const production = env.NODE_ENV === 'production';
  return {
    production,
    port: env.PORT,
    host: env.HOST,
    issuer: env.AUTH_ISSUER.replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    /** Single server, Sentinel or Cluster (SPEC §9), for service-kit's createRedis. */
    redis: redisEndpointFromEnv(env),
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    databaseUrl: env.DATABASE_URL,
    databaseNamePrefix: env.DATABASE_NAME_PREFIX,
    dataDir: env.DATA_DIR,
    accessTokenTtl: env.ACCESS_TOKEN_TTL,
    signInAttemptsPerIp: env.SIGN_IN_ATTEMPTS_PER_IP,
    adminTwoStepRequired: env.ADMIN_TWO_STEP_REQUIRED ?? true,
    userWebUrl: env.USER_WEB_URL.replace(/\/$/, ''),
    adminWebUrl: env.ADMIN_WEB_URL.replace(/\/$/, ''),
    resources: {
      userApi: env.USER_API_RESOURCE,
      adminApi: env.ADMIN_API_RESOURCE,
      internal: env.AUTH_INTERNAL_RESOURCE ?? `${env.AUTH_ISSUER.replace(/\/$/, '')}/internal`,
      account: env.AUTH_ACCOUNT_RESOURCE ?? `${env.AUTH_ISSUER.replace(/\/$/, '')}/internal/account`,
    },
    clientSecrets: {
      userWeb: env.USER_WEB_CLIENT_SECRET,
      adminWeb: env.ADMIN_WEB_CLIENT_SECRET,
      adminApi: env.ADMIN_API_CLIENT_SECRET,
      userApi: env.USER_API_CLIENT_SECRET,
    },
    cookieKeys: env.COOKIE_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    signingKeySecret: env.SIGNING_KEY_SECRET,
    jwksCacheMaxAgeMs: env.JWKS_CACHE_MAX_AGE * 1000,
    keyRefreshIntervalMs: env.KEY_REFRESH_INTERVAL * 1000,
    refreshReuseGraceSeconds: env.REFRESH_REUSE_GRACE,
    telemetry: {
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      otlpProtocol: env.OTEL_EXPORTER_OTLP_PROTOCOL,
      metricsToken: env.METRICS_TOKEN,
    },
    demo: {
      seed: env.SEED_DEMO_USERS ?? !production,
      userPassword: env.DEMO_USER_PASSWORD ?? DEMO_DEFAULTS.user,
      adminPassword: env.DEMO_ADMIN_PASSWORD ?? DEMO_DEFAULTS.admin,
    },
    trustProxy: env.TRUST_PROXY ?? false,
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      outboxDir: env.MAIL_OUTBOX_DIR ?? dataDirFor('outbox', env.DATA_DIR),
    },
  };
}

export type AuthConfig = ReturnType<typeof loadEnv>;
