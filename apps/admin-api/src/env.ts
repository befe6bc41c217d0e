import { devDefault, intFromEnv, parseEnv } from '@bff-auth/service-kit/env';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = z
  .object({
    PORT: intFromEnv(8003),
    /** Listen address; 127.0.0.1 unless deployed behind a proxy on another host. */
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: z.string().default(''),
    /** PostgreSQL server; without it the embedded PGlite keeps admindb under `.data/admindb`. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Root folder of the embedded PGlite data (admindb under it); default the repo's `.data`. */
    DATA_DIR: z.string().min(1).optional(),
    AUTH_ISSUER: z.url().default('http://localhost:8002'),
    /** Default `${AUTH_ISSUER}/jwks`. */
    AUTH_JWKS_URL: z.url().optional(),
    /** Default `${AUTH_ISSUER}/token`. */
    AUTH_TOKEN_URL: z.url().optional(),
    /** Default `${AUTH_ISSUER}/internal/v1`. */
    AUTH_INTERNAL_URL: z.url().optional(),
    /** Resource indicator of the internal API. Default `${AUTH_ISSUER}/internal`. */
    AUTH_INTERNAL_RESOURCE: z.url().optional(),
    ADMIN_API_CLIENT_ID: z.string().min(1).default('admin-api'),
    ADMIN_API_CLIENT_SECRET: devDefault('dev-admin-api-secret'),
  })
  .transform((env) => {
    // Tokens must name the issuer exactly as configured; only the derived URLs drop a trailing slash.
    const issuer = env.AUTH_ISSUER.replace(/\/+$/, '');
    return {
      ...env,
      AUTH_JWKS_URL: env.AUTH_JWKS_URL ?? `${issuer}/jwks`,
      AUTH_TOKEN_URL: env.AUTH_TOKEN_URL ?? `${issuer}/token`,
      AUTH_INTERNAL_URL: (env.AUTH_INTERNAL_URL ?? `${issuer}/internal/v1`).replace(/\/+$/, ''),
      AUTH_INTERNAL_RESOURCE: env.AUTH_INTERNAL_RESOURCE ?? `${issuer}/internal`,
    };
  });

export type Env = z.infer<typeof envSchema>;

/** The validated configuration; throws EnvError naming every bad variable. */
export const loadEnv = (source: Record<string, string | undefined> = process.env): Env =>
  parseEnv(envSchema, source);
