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
 */
export const accessTokenEnvShape = {
  ACCESS_TOKEN_TYPES: listFromEnv(DEFAULT_ACCESS_TOKEN_TYPES).superRefine(checked(typesProblem)),
  ACCESS_TOKEN_REQUIRED_CLAIMS: listFromEnv(REQUIRED_CLAIMS).superRefine(checked(requiredClaimsProblem)),
  ACCESS_TOKEN_SINGLE_AUDIENCE: flagFromEnv(true),
  AUTH_ROLES_CLAIM: z.string().default(DEFAULT_ROLES_CLAIM).superRefine(checked(claimPathProblem)),
  REVOCATION_REQUIRE_RESTORED: flagFromEnv(true),
};

type AccessTokenEnv = { [K in keyof typeof accessTokenEnvShape]: z.output<(typeof accessTokenEnvShape)[K]> };

/** The parsed variables of `accessTokenEnvShape` as verifier options. */
export function accessTokenProfileFromEnv(env: AccessTokenEnv): {
  accessTokens: AccessTokenProfile;
  requireRestored: boolean;
} {
  return {
    accessTokens: {
      types: env.ACCESS_TOKEN_TYPES,
      requiredClaims: env.ACCESS_TOKEN_REQUIRED_CLAIMS,
      singleAudience: env.ACCESS_TOKEN_SINGLE_AUDIENCE,
      rolesClaim: env.AUTH_ROLES_CLAIM,
    },
    requireRestored: env.REVOCATION_REQUIRE_RESTORED,
  };
}
