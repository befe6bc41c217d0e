import { readClaim } from '@bff-auth/claims';
import { z } from 'zod';
import type { ResolvedAccessTokenProfile } from './access-token-profile';

/** Who is calling, taken only from a verified access token. */
export interface AccessTokenIdentity {
  /** `sub`: the user id (or the client id, for client-credentials tokens). */
  userId: string;
  /** The roles at the profile's roles claim (default `roles`), e.g. ['admin']; empty when the token has none. */
  roles: string[];
  /** `scope`, split on spaces. */
  scope: string[];
  /** `sid`: the provider session, absent on client-credentials tokens. */
  sid: string | undefined;
  /** `jti`: this token's id; always there unless the profile stopped requiring it. */
  jti: string | undefined;
  /** `client_id` (RFC 9068), else `azp` (Keycloak, Auth0, Entra ID): the OAuth client the token was issued to. */
  clientId: string;
  /** `iat` and `exp`, epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  /** `acr`: how the session signed in (e.g. password, or password and a second factor), when said. */
  acr: string | undefined;
  /** `auth_time`: when the person last signed in, epoch seconds, when said (step-up, RFC 9470). */
  authTime: number | undefined;
  /** `name` and `email`, only when the issuer chose to include them; never rely on them for access. */
  name: string | undefined;
  email: string | undefined;
  /** `cnf.jkt`: the thumbprint of the key the token is bound to (RFC 9449), absent on an unbound token. */
  boundKey: string | undefined;
}

const id = z.string().min(1).max(255);
const audience = z.string().min(1);

/** The claim types jose does not check. A wrongly typed claim makes the whole token invalid. */
const baseClaimsSchema = z.object({
  sub: id,
  jti: id.optional(),
  sid: id.optional(),
  client_id: id.optional(),
  azp: id.optional(),
  iat: z.number(),
  exp: z.number(),
  scope: z.string().max(4096).optional(),
  acr: z.string().min(1).max(255).optional(),
  auth_time: z.number().optional(),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  // RFC 7800 confirmation; of its members only `jkt` (RFC 9449) is understood. A token bound in a way this
  // server cannot check (e.g. `x5t#S256`, mutual TLS) has no place here and is refused.
  cnf: z.strictObject({ jkt: z.string().min(1).max(128) }).optional(),
});
const singleAudienceSchema = baseClaimsSchema.extend({ aud: audience }); // SPEC §3: never an array
const audienceListSchema = baseClaimsSchema.extend({
  aud: z.union([audience, z.array(audience).min(1).max(20)]),
});
const rolesSchema = z.array(z.string().min(1).max(100)).max(100).optional();

/**
 * The caller, from a payload whose signature and registered claims jose has checked: claim types, the
 * client (`client_id` or `azp`) and the roles at the profile's roles claim. @returns null when a claim
 * has the wrong type or no client is named (the token is then invalid as a whole).
 */
export function identityFromClaims(
  payload: unknown,
  profile: ResolvedAccessTokenProfile,
): AccessTokenIdentity | null {
  const parsed = (profile.singleAudience ? singleAudienceSchema : audienceListSchema).safeParse(payload);
  const roles = rolesSchema.safeParse(readClaim(payload, profile.rolesClaim));
  if (!parsed.success || !roles.success) return null;
  const claims = parsed.data;
  const clientId = claims.client_id ?? claims.azp;
  if (!clientId) return null;
  return {
    userId: claims.sub,
    roles: roles.data ?? [],
    scope: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
    sid: claims.sid,
    jti: claims.jti,
    clientId,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
    acr: claims.acr,
    authTime: claims.auth_time,
    name: claims.name,
    email: claims.email,
    boundKey: claims.cnf?.jkt,
  };
}
