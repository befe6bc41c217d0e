import * as oauth from 'oauth4webapi';
import type { CallTokens } from './auth-service-caller';
import { type CachedToken, createCachedToken, type FetchedToken } from './cached-token';
import {
  DEFAULT_TOKEN_LIFETIME_SEC,
  TOKEN_REFRESH_SKEW_SEC,
  TOKEN_REQUEST_TIMEOUT_MS,
} from './client-credentials';
import { fromFetchFailure, UpstreamError } from './upstream-error';

/** RFC 8693 §2.1: the grant type — the one spelling of it, for the auth service that grants it too. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the subject token is an access token (and so is the token the auth service issues). */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** Users whose exchanged tokens are kept at once (least recently used go first). */
export const DEFAULT_EXCHANGE_CACHE_SIZE = 1000;

export interface TokenExchangeOptions {
  issuer: string;
  /** Token endpoint, e.g. `${issuer}/token`. */
  tokenUrl: string;
  /** The acting client (it authenticates with client_secret_basic and is the token's `act`). */
  clientId: string;
  clientSecret: string;
  /** RFC 8707 resource indicator of the API the exchanged token is for. */
  resource: string;
  /** Default TOKEN_REFRESH_SKEW_SEC; a token of 60 s is reused for 30. */
  refreshSkewSec?: number;
  timeoutMs?: number;
  /** Default DEFAULT_EXCHANGE_CACHE_SIZE. */
  cacheSize?: number;
}

export interface TokenExchangeSource {
  /**
   * A token for the resource acting for the subject of `subjectToken` (the caller's verified access
   * token): cached per subject token, one exchange for concurrent callers.
   * @throws UpstreamError — `auth_service_refused_subject` (403) when the auth service will not act for
   *   that subject (its token was revoked, its user lost the role), `auth_service_rejected_credentials`
   *   for our own credentials, 503/504 when it cannot be reached.
   */
  getToken(subjectToken: string): Promise<string>;
  /** Drops `token` for `subjectToken` (the resource server refused it), so the next call exchanges anew. */
  invalidate(subjectToken: string, token: string): void;
  /** The tokens of calls made for `subjectToken`'s subject (`createAuthServiceCaller`). */
  forSubject(subjectToken: string): CallTokens;
}

/**
 * Token exchange (RFC 8693) through oauth4webapi: a service calling the auth service for the user of
 * its request, so the auth service knows who (the subject) and through what (this client, `act`).
 */
export function createTokenExchangeSource({
  issuer,
  tokenUrl,
  clientId,
  clientSecret,
  resource,
  refreshSkewSec = TOKEN_REFRESH_SKEW_SEC,
  timeoutMs = TOKEN_REQUEST_TIMEOUT_MS,
  cacheSize = DEFAULT_EXCHANGE_CACHE_SIZE,
}: TokenExchangeOptions): TokenExchangeSource {
  if (!clientSecret) throw new TypeError('service-kit token exchange: option "clientSecret" is required');
  if (!Number.isInteger(cacheSize) || cacheSize < 1)
    throw new TypeError('service-kit token exchange: option "cacheSize" must be a positive integer');
  const as: oauth.AuthorizationServer = { issuer, token_endpoint: tokenUrl };
  const client: oauth.Client = { client_id: clientId };
  const auth = oauth.ClientSecretBasic(clientSecret);
  const insecure = new URL(tokenUrl).protocol === 'http:';
  // Insertion order is recency: a hit is moved to the end, the first entry is the least recently used.
  const bySubject = new Map<string, CachedToken>();

  async function exchange(subjectToken: string): Promise<FetchedToken> {
    let response: Response;
    try {
      response = await oauth.genericTokenEndpointRequest(
        as,
        client,
        auth,
        TOKEN_EXCHANGE_GRANT_TYPE,
        { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, resource },
        { signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: insecure },
      );
    } catch (error) {
      throw fromFetchFailure(error);
    }
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processGenericTokenEndpointResponse(as, client, response);
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && response.status < 500) {
        throw new UpstreamError(
          error.error === 'invalid_grant'
            ? 'auth_service_refused_subject'
            : 'auth_service_rejected_credentials',
          error,
        );
      }
      throw new UpstreamError(
        response.status === 503 ? 'auth_service_unavailable' : 'auth_service_error',
        error,
      );
    }
    return { token: result.access_token, lifetimeSec: result.expires_in ?? DEFAULT_TOKEN_LIFETIME_SEC };
  }

  function entry(subjectToken: string): CachedToken {
    let cached = bySubject.get(subjectToken);
    if (cached) bySubject.delete(subjectToken);
    else cached = createCachedToken(() => exchange(subjectToken), refreshSkewSec);
    bySubject.set(subjectToken, cached);
    if (bySubject.size > cacheSize) bySubject.delete(bySubject.keys().next().value!);
    return cached;
  }

  const getToken = (subjectToken: string) => entry(subjectToken).get();
  const invalidate = (subjectToken: string, token: string) => bySubject.get(subjectToken)?.invalidate(token);
  return {
    getToken,
    invalidate,
    forSubject: (subjectToken) => ({
      getToken: () => getToken(subjectToken),
      invalidate: (token) => invalidate(subjectToken, token),
    }),
  };
}
