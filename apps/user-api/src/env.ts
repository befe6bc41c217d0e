import { intFromEnv, parseEnv, serviceEnvSchema } from '@bff-auth/service-kit/env';
import type { z } from 'zod';

/** The shared service variables (apidb is the embedded database's name) and user-api's own. */
export const envSchema = serviceEnvSchema(8001).extend({
  /** Requests per user per hour (SPEC §6: 1000); the bench raises it to measure throughput. */
  API_RATE_LIMIT_PER_HOUR: intFromEnv(1000),
});

export type Env = z.infer<typeof envSchema>;

/** The validated configuration; throws EnvError naming every bad variable. */
export const loadEnv = (source: Record<string, string | undefined> = process.env): Env =>
  parseEnv(envSchema, source);
