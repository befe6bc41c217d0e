import type { RevocationReason, RevocationStore } from '@bff-auth/revocation';
import { BffError, errorCodes } from '../errors';
import { unverifiedClaims } from '../oidc/token-set';
import type { SessionData } from '../session/session-data';

/** Redis could not say whether the session is revoked: fail closed, 503 `revocation_unavailable`. */
export class RevocationCheckUnavailableError extends BffError {
  constructor(cause: unknown) {
    super(503, errorCodes.revocationUnavailable, 'Session state is temporarily unavailable', {
      cause,
      headers: { 'Retry-After': '1' },
    });
    this.name = 'RevocationCheckUnavailableError';
  }
}

/** What the revocation check reads from a session's access token. */
interface AccessTokenFacts {
  jti: string | undefined;
  iat: number;
}

/**
 * Decoded once per session data object: the unseal cache hands every request with the same cookie
 * the same object, and a refresh makes a new one, so the entry lives exactly as long as the cookie
 * value is in use.
 */
const factsOf = new WeakMap<SessionData, AccessTokenFacts>();

function accessTokenFacts(data: SessionData): AccessTokenFacts {
  let facts = factsOf.get(data);
  if (!facts) {
    const claims = unverifiedClaims(data.at);
    facts = {
      jti: typeof claims.jti === 'string' ? claims.jti : undefined,
      iat: typeof claims.iat === 'number' ? claims.iat : 0,
    };
    factsOf.set(data, facts);
  }
  return facts;
}

/**
 * Checks a session against the revocation keys of SPEC §3: its user (disabled, not-before the sign-in
 * time), its provider session id and its current access token's `jti`; in the same round trip, whether
 * the user's roles changed after its tokens were issued.
 * @returns the reason it is revoked (or null) and whether it must refresh to pick up new roles.
 * @throws RevocationCheckUnavailableError when Redis does not answer in time.
 */
export async function checkSessionRevocation(
  store: RevocationStore,
  data: SessionData,
): Promise<{ reason: RevocationReason | null; rolesChanged: boolean; rolesChangedAt: number | null }> {
  const { jti, iat } = accessTokenFacts(data);
  try {
    const { reason, rolesChangedAt } = await store.inspect({
      userId: data.uid,
      sid: data.sid,
      jti,
      issuedAt: data.cat,
    });
    // Seconds are coarse: a token minted in the second of the change may predate it, so it counts as
    // stale — but only once (`rca` records the change a refresh already picked up).
    const rolesChanged = rolesChangedAt !== null && rolesChangedAt >= iat && rolesChangedAt !== data.rca;
    return { reason, rolesChanged, rolesChangedAt };
  } catch (error) {
    throw new RevocationCheckUnavailableError(error);
  }
}
