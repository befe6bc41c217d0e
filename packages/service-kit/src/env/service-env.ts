import { z } from 'zod';
import { telemetryEnvShape } from '../telemetry/telemetry-env';
import { intFromEnv } from './int-from-env';
import { redisEnvShape } from './redis-env';

/** The pino levels LOG_LEVEL accepts. */
/** DATABASE_NAME_PREFIX: lower-case letters, digits and `_`, so the database names stay plain identifiers. */
export const databaseNamePrefix = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _ (at most 40)')
  .optional();

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The variables every resource server (user-api, admin-api) reads; extend it with the app's own.
 * Defaults: PORT `defaultPort`, HOST 127.0.0.1, LOG_LEVEL info, REDIS_KEY_PREFIX empty, AUTH_ISSUER
 * http://localhost:8002; the Redis variables of `redisEnvShape` (read them with `redisEndpointFromEnv`:
 * REDIS_URL redis://127.0.0.1:6379 when no topology is set), DATABASE_URL, DATA_DIR and AUTH_JWKS_URL
 * are optional; so are the observability variables of `telemetryEnvShape` (OTEL_EXPORTER_OTLP_*,
 * METRICS_TOKEN).
 */
export function serviceEnvSchema(defaultPort: number) {
  return z.object({
    PORT: intFromEnv(defaultPort),
    /** Listen address; 127.0.0.1 unless deployed behind a proxy on another host. */
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    ...redisEnvShape,
    /** PostgreSQL server; without it the embedded PGlite keeps the app's database under `.data/`. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Put before the app's database name on that server (`e2e_lb_` → `e2e_lb_apidb`); default none. */
    DATABASE_NAME_PREFIX: databaseNamePrefix,
    /** Root folder of the embedded PGlite data (the app's database under it); default the repo's `.data`. */
    DATA_DIR: z.string().min(1).optional(),
    AUTH_ISSUER: z.url().default('http://localhost:8002'),
    /** Default `${AUTH_ISSUER}/jwks`. */
    AUTH_JWKS_URL: z.url().optional(),
    ...telemetryEnvShape,
  });
}
