import { devDefault, parseEnv, serviceEnvSchema } from '@bff-auth/service-kit/env';
import { accessTokenEnvShape } from '@bff-auth/token-verifier';
import { z } from 'zod';
import { STEP_UP_MAX_AGE_SECONDS } from './step-up/step-up';

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
    /** Step-up (SPEC §12): only a sign-in with the second factor counts. Default on (as the auth service). */
    ADMIN_TWO_STEP_REQUIRED: z
      .enum(['true', 'false', '1', '0'])
      .transform((v) => v === 'true' || v === '1')
      .default(true),
    /** Step-up: how old, in seconds, the sign-in behind disable, force logout or a role change may be. */
    STEP_UP_MAX_AGE: z.coerce.number().int().min(0).max(86_400).default(STEP_UP_MAX_AGE_SECONDS),
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
