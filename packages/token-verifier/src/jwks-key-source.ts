import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type ExportedJWKSCache,
  errors,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
  jwksCache,
} from 'jose';
import { TokenVerificationError } from './errors';

export interface JwksKeySourceOptions {
  url: URL;
  timeoutMs: number;
  cooldownMs: number;
  cacheMaxAgeMs: number;
  maxStaleMs: number;
}

interface Snapshot {
  jwks: JSONWebKeySet;
  fetchedAt: number;
  local: JWTVerifyGetKey;
}

/**
 * jose's remote JWKS plus "stale if error". jose drops to an error as soon as the cache is older than
 * `cacheMaxAge` and the endpoint does not answer, so an outage longer than the cache age would reject every
 * token. Here the last good key set keeps verifying for `maxStaleMs`, and after a failed fetch the endpoint
 * is left alone for `cooldownMs` so requests do not each wait for a timeout.
 *
 * The stale copy is built once per fetch, never per request: jose writes each fetched key set into
 * the `jwksCache` object it is given (a new object per fetch, so identity tells a fresh fetch from the
 * old one), whereas `remote.jwks()` hands out a deep clone on every call.
 */
export function createJwksKeySource(options: JwksKeySourceOptions): JWTVerifyGetKey {
  const fetched: Partial<ExportedJWKSCache> = {};
  const remote = createRemoteJWKSet(options.url, {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    [jwksCache]: fetched as JWKSCacheInput,
  });
  let lastGood: Snapshot | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;

  const remember = () => {
    const { jwks, uat } = fetched;
    if (jwks && jwks !== lastGood?.jwks) {
      lastGood = { jwks, fetchedAt: uat ?? Date.now(), local: createLocalJWKSet(jwks) };
    }
  };

  return async (header, token) => {
    const now = Date.now();
    const stale = lastGood && now - lastGood.fetchedAt < options.maxStaleMs ? lastGood : undefined;
    if (stale && now - failedAt < options.cooldownMs) return stale.local(header, token);
    try {
      const key = await remote(header, token);
      remember();
      return key;
    } catch (error) {
      remember();
      if (!isFetchFailure(error)) throw error;
      failedAt = Date.now();
      if (!stale)
        throw new TokenVerificationError('jwks_unavailable', { reason: 'jwks_fetch_failed', cause: error });
      return stale.local(header, token);
    }
  };
}

/** True for errors of fetching the JWKS (network, timeout, non-200, not a key set), not of the token. */
function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  return error instanceof TypeError; // fetch() rejects with TypeError on connection errors
}
