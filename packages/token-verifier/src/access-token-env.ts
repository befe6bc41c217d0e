import { claimPathProblem, DEFAULT_ROLES_CLAIM } from '@bff-auth/claims';
import { flagFromEnv, listFromEnv } from '@bff-auth/service-kit/env';
import { z } from 'zod';
import { type AccessTokenProfile, requiredClaimsProblem, typesProblem } from './access-token-profile';
import { DEFAULT_ACCESS_TOKEN_TYPES, REQUIRED_CLAIMS } from './constants';

/** A zod refinement from a "what is wrong, or null" check. */
const checked =
  <T>(problem: (value: T) => string | null) =>
  (value: T, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  };

/**
 * The variables that describe the provider's access tokens, as a zod shape to spread into a resource
 * server's env schema; `accessTokenProfileFromEnv` turns them into `createServiceVerifier` options.
 * Defaults are our auth service's tokens:
 * - `ACCESS_TOKEN_TYPES` — accepted `typ` values, comma-separated. Default `at+jwt` (Keycloak, Auth0: `JWT`).
 * - `ACCESS_TOKEN_REQUIRED_CLAIMS` — default `exp,iat,sub,jti`; `exp`, `iat` and `sub` cannot be left out.
 * - `ACCESS_TOKEN_SINGLE_AUDIENCE` — refuse an `aud` array. Default `true`.
 * - `AUTH_ROLES_CLAIM` — where the roles are (`roles`, `realm_access.roles`, `https://example.com/roles`).
 * - `REVOCATION_REQUIRE_RESTORED` — fail closed until our auth service has written the revocation state
 *   back into an empty Redis. Default `true`; `false` with a provider that is not our auth service
 *   (nothing else writes the marker).
 * - `ACCESS_TOKEN_DPOP` — `required` (default): every request needs a DPoP-bound token and a proof from its
 *   key (RFC 9449); `allowed`: unbound Bearer tokens pass too (providers or clients without DPoP). A bound
 *   token needs its proof either way.
 * - `API_PUBLIC_ORIGIN` — the origin clients call the API at, when a proxy in front of it changes scheme,
 *   host or port (a DPoP proof names the URL the client called). Default: the request's own origin.
 */
export const accessTokenEnvShape = {
  ACCESS_TOKEN_TYPES: listFromEnv(DEFAULT_ACCESS_TOKEN_TYPES).superRefine(checked(typesProblem)),
  ACCESS_TOKEN_REQUIRED_CLAIMS: listFromEnv(REQUIRED_CLAIMS).superRefine(checked(requiredClaimsProblem)),
  ACCESS_TOKEN_SINGLE_AUDIENCE: flagFromEnv(true),
  AUTH_ROLES_CLAIM: z.string().default(DEFAULT_ROLES_CLAIM).superRefine(checked(claimPathProblem)),
  REVOCATION_REQUIRE_RESTORED: flagFromEnv(true),
  ACCESS_TOKEN_DPOP: z.enum(['required', 'allowed']).default('required'),
  API_PUBLIC_ORIGIN: z
    .url()
    .refine((value) => URL.parse(value)?.origin === value, 'an origin such as https://api.example.com')
    .optional(),
};

type AccessTokenEnv = z.output<z.ZodObject<typeof accessTokenEnvShape>>;

/** The parsed variables of `accessTokenEnvShape` as `createServiceVerifier` options. */
export function accessTokenProfileFromEnv(env: AccessTokenEnv): {
  accessTokens: AccessTokenProfile;
  requireRestored: boolean;
  dpop: 'required' | 'allowed';
  publicOrigin: string | undefined;
} {
  return {
    accessTokens: {
      types: env.ACCESS_TOKEN_TYPES,
      requiredClaims: env.ACCESS_TOKEN_REQUIRED_CLAIMS,
      singleAudience: env.ACCESS_TOKEN_SINGLE_AUDIENCE,
      rolesClaim: env.AUTH_ROLES_CLAIM,
    },
    requireRestored: env.REVOCATION_REQUIRE_RESTORED,
    dpop: env.ACCESS_TOKEN_DPOP,
    publicOrigin: env.API_PUBLIC_ORIGIN,
  };
}
