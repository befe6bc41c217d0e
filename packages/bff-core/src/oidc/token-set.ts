import { decodeJwt } from 'jose';
import type { DpopKeyMaterial } from '../dpop/dpop-key';

/** The tokens of one sign-in or refresh, as the BFF keeps them. */
export interface TokenSet {
  accessToken: string;
  /** Epoch seconds. */
  accessTokenExpiresAt: number;
  refreshToken?: string | undefined;
  idToken?: string | undefined;
  /** The DPoP key the access token is bound to (`cnf.jkt`), when the provider binds them. */
  dpopKey?: DpopKeyMaterial | undefined;
}

/** Claims of a JWT without verifying it (the caller verified it, or only reads its own token). */
export function unverifiedClaims(jwt: string | undefined): Record<string, unknown> {
  if (!jwt) return {};
  try {
    return decodeJwt(jwt);
  } catch {
    return {};
  }
}

/** Builds a TokenSet from a token endpoint answer; the access token's own `exp` wins over `expires_in`. */
export function tokenSetFrom(
  response: { access_token: string; expires_in?: number; refresh_token?: string; id_token?: string },
  nowSeconds: number,
): TokenSet {
  const exp = unverifiedClaims(response.access_token).exp;
  return {
    accessToken: response.access_token,
    accessTokenExpiresAt:
      typeof exp === 'number'
        ? exp
        : nowSeconds + (typeof response.expires_in === 'number' ? response.expires_in : 60),
    refreshToken: response.refresh_token,
    idToken: response.id_token,
  };
}
