import * as oauth from 'oauth4webapi';
import { createCachedToken, type FetchedToken } from './cached-token';
import { fromFetchFailure, UpstreamError } from './upstream-error';

/** A token is renewed this many seconds before it expires, so no call carries one that dies in flight. */
export const TOKEN_REFRESH_SKEW_SEC = 30;
/** Deadline of one token request. */
export const TOKEN_REQUEST_TIMEOUT_MS = 5_000;
/** Used when the token response has no expires_in (RFC 6749 makes it optional). */
export const DEFAULT_TOKEN_LIFETIME_SEC = 60;

export interface ClientCredentialsOptions {
  /** The authorization server's issuer identifier. */
  issuer: string;
  /** Token endpoint, e.g. `${issuer}/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** RFC 8707 resource indicator of the API the token is for. */
  resource: string;
  scope: string;
  refreshSkewSec?: number;
  timeoutMs?: number;
}

export interface ClientCredentialsTokenSource {
  /** A valid access token: the cached one, or a new one fetched once however many callers wait for it. */
  getToken(): Promise<string>;
  /** Drops `token` from the cache (the resource server refused it), so the next call fetches a new one. */
  invalidate(token: string): void;
}

/**
 * OAuth client-credentials tokens for a service's calls to the auth service (admin-api, user-api), through oauth4webapi
 * (client_secret_basic). The token is cached until TOKEN_REFRESH_SKEW_SEC before it expires, and
 * concurrent callers share one in-flight request.
 */
export function createClientCredentialsTokenSource({
  issuer,
  tokenUrl,
  clientId,
  clientSecret,
  resource,
  scope,
  refreshSkewSec = TOKEN_REFRESH_SKEW_SEC,
  timeoutMs = TOKEN_REQUEST_TIMEOUT_MS,
}: ClientCredentialsOptions): ClientCredentialsTokenSource {
  if (!clientSecret) throw new TypeError('service-kit client credentials: option "clientSecret" is required');
  const as: oauth.AuthorizationServer = { issuer, token_endpoint: tokenUrl };
  const client: oauth.Client = { client_id: clientId };
  const auth = oauth.ClientSecretBasic(clientSecret);
  // Plain http only ever happens in development and tests (localhost); production URLs are https.
  const insecure = new URL(tokenUrl).protocol === 'http:';

  async function fetchToken(): Promise<FetchedToken> {
    let response: Response;
    try {
      response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        { scope, resource },
        { signal: AbortSignal.timeout(timeoutMs), [oauth.allowInsecureRequests]: insecure },
      );
    } catch (error) {
      throw fromFetchFailure(error);
    }
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processClientCredentialsResponse(as, client, response);
    } catch (error) {
      const refused = error instanceof oauth.ResponseBodyError && response.status < 500;
      throw new UpstreamError(refused ? 'auth_service_rejected_credentials' : 'auth_service_error', error);
    }
    return { token: result.access_token, lifetimeSec: result.expires_in ?? DEFAULT_TOKEN_LIFETIME_SEC };
  }

  const cache = createCachedToken(fetchToken, refreshSkewSec);
  return { getToken: cache.get, invalidate: cache.invalidate };
}
