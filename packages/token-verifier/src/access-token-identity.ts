import { z } from 'zod';

/** Who is calling, taken only from a verified access token. */
export interface AccessTokenIdentity {
  /** `sub`: the user id (or the client id, for client-credentials tokens). */
  userId: string;
  /** `roles`: application roles, e.g. ['admin']; empty when the token has none. */
  roles: string[];
  /** `scope`, split on spaces. */
  scope: string[];
  /** `sid`: the provider session, absent on client-credentials tokens. */
  sid: string | undefined;
  /** `jti`: this token's id. */
  jti: string;
  /** `client_id`: the OAuth client the token was issued to. */
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
}

const id = z.string().min(1).max(255);

/** The claim types jose does not check. A wrongly typed claim makes the whole token invalid. */
export const accessTokenClaimsSchema = z.object({
  sub: id,
  jti: id,
  sid: id.optional(),
  client_id: id,
  aud: z.string().min(1), // one audience per token (SPEC §3), never an array
  iat: z.number(),
  exp: z.number(),
  scope: z.string().max(4096).optional(),
  roles: z.array(z.string().min(1).max(100)).max(100).optional(),
  acr: z.string().min(1).max(255).optional(),
  auth_time: z.number().optional(),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
});

export function identityFromClaims(claims: z.infer<typeof accessTokenClaimsSchema>): AccessTokenIdentity {
  return {
    userId: claims.sub,
    roles: claims.roles ?? [],
    scope: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
    sid: claims.sid,
    jti: claims.jti,
    clientId: claims.client_id,
    issuedAt: claims.iat,
    expiresAt: claims.exp,
    acr: claims.acr,
    authTime: claims.auth_time,
    name: claims.name,
    email: claims.email,
  };
}
