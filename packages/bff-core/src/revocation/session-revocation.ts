import {
  type RevocationReason,
  type RevocationStore,
  RevocationUnavailableError,
} from '@bff-auth/revocation';
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

/**
 * Checks a session against the revocation keys of SPEC §3: its user (disabled, not-before the sign-in
 * time), its provider session id and its current access token's `jti`.
 * @returns the reason it is revoked, or null.
 * @throws RevocationCheckUnavailableError when Redis does not answer in time.
 */
export async function checkSessionRevocation(
  store: RevocationStore,
  data: SessionData,
): Promise<RevocationReason | null> {
  const jti = unverifiedClaims(data.at).jti;
  try {
    return await store.check({
      userId: data.uid,
      sid: data.sid,
      jti: typeof jti === 'string' ? jti : undefined,
      issuedAt: data.cat,
    });
  } catch (error) {
    if (error instanceof RevocationUnavailableError) throw new RevocationCheckUnavailableError(error);
    throw new RevocationCheckUnavailableError(error);
  }
}
