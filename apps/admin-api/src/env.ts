import { devDefault, parseEnv, serviceEnvSchema } from '@bff-auth/service-kit/env';
import { accessTokenEnvShape } from '@bff-auth/token-verifier';
import { z } from 'zod';

/** The shared service variables (admindb is the embedded database's name) and admin-api's own. */
export const envSchema = serviceEnvSchema(8003)
  .extend({
    /** What the provider's access tokens look like (typ, required claims, roles claim, aud array, DPoP). */
    ...accessTokenEnvShape,
    /** The `aud` this API's tokens carry. Default `admin-api`. */
    ADMIN_API_AUDIENCE: z.string().min(1).default('admin-api'),
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
