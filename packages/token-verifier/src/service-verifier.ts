import type { Redis } from 'ioredis';
import { connectRevocationStore } from './revocation-connection';
import { createTokenVerifier, type TokenVerifier } from './token-verifier';

export interface ServiceVerifierOptions {
  issuer: string;
  audience: string;
  /** Default `${issuer}/jwks`. */
  jwksUrl?: string | undefined;
  /** REDIS_URL and REDIS_KEY_PREFIX of the revocation keys. */
  redisUrl: string;
  redisKeyPrefix: string;
  /** CLIENT LIST name of the connection. */
  name: string;
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
  redisUrl,
  redisKeyPrefix,
  name,
}: ServiceVerifierOptions): { verifier: TokenVerifier; redis: Redis } {
  const { redis, store } = connectRevocationStore({ url: redisUrl, keyPrefix: redisKeyPrefix, name });
  const verifier = createTokenVerifier({
    issuer,
    audience,
    jwksUrl: jwksUrl ?? `${issuer.replace(/\/+$/, '')}/jwks`,
    revocation: store,
  });
  return { verifier, redis };
}
