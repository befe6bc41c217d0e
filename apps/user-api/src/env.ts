import { devDefault, intFromEnv, parseEnv, serviceEnvSchema } from '@bff-auth/service-kit/env';
import { accessTokenEnvShape } from '@bff-auth/token-verifier';
import { z } from 'zod';

/** The shared service variables (apidb is the embedded database's name) and user-api's own. */
export const envSchema = serviceEnvSchema(8001)
  .extend({
    /** What the provider's access tokens look like (typ, required claims, roles claim, aud array, DPoP). */
    ...accessTokenEnvShape,
    /** The `aud` this API's tokens carry. Default `user-api`. */
    USER_API_AUDIENCE: z.string().min(1).default('user-api'),
    /** Requests per user per hour (SPEC §6: 1000); the bench raises it to measure throughput. */
    API_RATE_LIMIT_PER_HOUR: intFromEnv(1000),
    /** Default `${AUTH_ISSUER}/token`. */
    AUTH_TOKEN_URL: z.url().optional(),
    /** The auth service's self-service account API. Default `${AUTH_ISSUER}/internal/account/v1`. */
    AUTH_ACCOUNT_URL: z.url().optional(),
    /** Resource indicator of the account API. Default `${AUTH_ISSUER}/internal/account`. */
    AUTH_ACCOUNT_RESOURCE: z.url().optional(),
    USER_API_CLIENT_ID: z.string().min(1).default('user-api'),
    USER_API_CLIENT_SECRET: devDefault('dev-user-api-secret'),
  })
  .transform((env) => {
    // Tokens must name the issuer exactly as configured; only the derived URLs drop a trailing slash.
    const issuer = env.AUTH_ISSUER.replace(/\/+$/, '');
    return {
      ...env,
      AUTH_TOKEN_URL: env.AUTH_TOKEN_URL ?? `${issuer}/token`,
      AUTH_ACCOUNT_URL: (env.AUTH_ACCOUNT_URL ?? `${issuer}/internal/account/v1`).replace(/\/+$/, ''),
      AUTH_ACCOUNT_RESOURCE: env.AUTH_ACCOUNT_RESOURCE ?? `${issuer}/internal/account`,
    };
  });

export type Env = z.infer<typeof envSchema>;

/** The validated configuration; throws EnvError naming every bad variable. */
export const loadEnv = (source: Record<string, string | undefined> = process.env): Env =>
  parseEnv(envSchema, source);
