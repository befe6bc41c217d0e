import type { RedisClient, RedisEndpoint } from '@bff-auth/service-kit/redis';
import type { AccessTokenProfile } from './access-token-profile';
import { createDpopReplayCache } from './dpop-replay';
import { connectRevocationStore } from './revocation-connection';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

export interface ServiceVerifierOptions {
  issuer: string;
  audience: string;
  /** Default `${issuer}/jwks`. */
  jwksUrl?: string | undefined;
  /** Where Redis is (service-kit's `redisEndpointFromEnv(env)`) and the key prefix of the revocation keys. */
  redis: RedisEndpoint;
  redisKeyPrefix: string;
  /** CLIENT LIST name of the connection. */
  name: string;
  /** DPoP mode (`ACCESS_TOKEN_DPOP`); the proof replay cache shares the revocation connection. */
  dpop: 'required' | 'allowed';
  /** `API_PUBLIC_ORIGIN`: the origin DPoP proofs name, when a proxy changes it. */
  publicOrigin?: string | undefined;
  /** The provider's access-token shape (`accessTokenProfileFromEnv`). Default our auth service's. */
  accessTokens?: AccessTokenProfile | undefined;
  /** See connectRevocationStore. Default true. */
  requireRestored?: boolean | undefined;
}

/**
 * What a resource server's main.ts needs to check tokens: the fail-fast revocation connection and a
 * verifier on it, with the JWKS at `${issuer}/jwks` unless told otherwise. Other defaults as in
 * createTokenVerifier and connectRevocationStore.
 */
export function createServiceVerifier({
  issuer,
  audience,
  jwksUrl,
  redis: endpoint,
  redisKeyPrefix,
  name,
  dpop,
  publicOrigin,
  accessTokens,
  requireRestored = true,
}: ServiceVerifierOptions): { verifier: TokenVerifier; redis: RedisClient } {
  const { redis, store } = connectRevocationStore({
    ...endpoint,
    keyPrefix: redisKeyPrefix,
    name,
    requireRestored,
  });
  const verifier = createTokenVerifier({
    issuer,
    audience,
    jwksUrl: jwksUrl ?? `${issuer.replace(/\/+$/, '')}/jwks`,
    revocation: store,
    dpop: { mode: dpop, replay: createDpopReplayCache({ redis }), publicOrigin },
    accessTokens,
  });
  return { verifier, redis };
}
