import { intFromEnv, parseEnv } from '@bff-auth/service-kit/env';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = z.object({
  PORT: intFromEnv(8001),
  /** Listen address; 127.0.0.1 unless deployed behind a proxy on another host. */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().default(''),
  /** PostgreSQL server; without it the embedded PGlite keeps apidb under `.data/apidb`. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Root folder of the embedded PGlite data (apidb under it); default the repo's `.data`. */
  DATA_DIR: z.string().min(1).optional(),
  AUTH_ISSUER: z.url().default('http://localhost:8002'),
  /** Default `${AUTH_ISSUER}/jwks`. */
  AUTH_JWKS_URL: z.url().optional(),
  /** Requests per user per hour (SPEC §6: 1000); the bench raises it to measure throughput. */
  API_RATE_LIMIT_PER_HOUR: intFromEnv(1000),
});

export type Env = z.infer<typeof envSchema>;

/** The validated configuration; throws EnvError naming every bad variable. */
export const loadEnv = (source: Record<string, string | undefined> = process.env): Env =>
  parseEnv(envSchema, source);
