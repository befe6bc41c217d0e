import { type ClaimPath, DEFAULT_ROLES_CLAIM, parseClaimPath, readRoles } from '@bff-auth/claims';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { dpopKeySchema } from '../dpop/dpop-key';

/**
 * What the sealed cookie holds. Kept small on purpose (a cookie must stay under 4096 bytes with 20
 * roles): the tokens plus the few fields the BFF needs on every request. The user's email, name and
 * roles are not copied in: they are read from the ID token and the access token, which are there anyway.
 */
export const sessionDataSchema = z.object({
  v: z.literal(1),
  /** User id (`sub`). */
  uid: z.string().min(1),
  /** Provider session id (`sid`), for back-channel logout and revocation. */
  sid: z.string().min(1).optional(),
  /** When the user signed in, epoch seconds: the session's `issuedAt` for revocation checks. */
  cat: z.number().int(),
  /** Access token (JWT). */
  at: z.string().min(1),
  /** Access token expiry, epoch seconds. */
  ate: z.number().int(),
  /** Refresh token. */
  rt: z.string().min(1).optional(),
  /** ID token, kept for the `id_token_hint` of RP-initiated logout. */
  idt: z.string().min(1).optional(),
  /** The DPoP key the access token is bound to (RFC 9449), when the provider binds tokens. */
  dk: dpopKeySchema.optional(),
  /** The role change (epoch seconds of `user:roles-changed`) this session's tokens already reflect. */
  rca: z.number().int().optional(),
});

export type SessionData = z.infer<typeof sessionDataSchema>;

/** The signed-in user as pages and the browser see it. Never carries a token. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

function claimsOf(jwt: string | undefined): Record<string, unknown> {
  if (!jwt) return {};
  try {
    return decodeJwt(jwt);
  } catch {
    return {};
  }
}

const DEFAULT_ROLES_PATH = parseClaimPath(DEFAULT_ROLES_CLAIM);

/**
 * The user view of a session: email and name from the ID token, roles from the access token (fresh
 * after every refresh), falling back to the ID token's roles — both at `rolesClaim` (the BFF's
 * `rolesClaim` option; default `roles`). Every "which roles has this user" of the BFF comes from here.
 */
export function userOf(data: SessionData, rolesClaim: ClaimPath = DEFAULT_ROLES_PATH): SessionUser {
  const id = claimsOf(data.idt);
  const access = claimsOf(data.at);
  return {
    id: data.uid,
    email: typeof id.email === 'string' ? id.email : '',
    name: typeof id.name === 'string' ? id.name : '',
    roles: readRoles(access, rolesClaim) ?? readRoles(id, rolesClaim) ?? [],
  };
}
