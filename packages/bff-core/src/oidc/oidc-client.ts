import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { Agent, fetch as undiciFetch } from 'undici';
import { DPOP_ALGORITHM, type DpopKeyMaterial, dpopSigner, generateDpopKey } from '../dpop/dpop-key';
import { AuthUnavailableError, BffError, errorCodes, SessionExpiredError } from '../errors';
import { type TokenSet, tokenSetFrom } from './token-set';

/** Deadlines of calls to the authorization server (SPEC §5: auth-service 3 s / 5 s, JWKS 2 s / 3 s). */
export const AUTH_SERVER_DEADLINES = {
  connectTimeoutMs: 3000,
  readTimeoutMs: 5000,
  jwksTimeoutMs: 3000,
} as const;
/** Default scopes. Add `offline_access` for providers that issue refresh tokens only then (prompt=consent is added with it). */
export const DEFAULT_SCOPE = 'openid email profile';

export interface OidcClientOptions {
  /** Any OpenID Provider's issuer URL; everything else comes from its discovery document. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Default DEFAULT_SCOPE. */
  scope?: string;
  /** RFC 8707 resource indicator; omit to get the client's default resource. */
  resource?: string | undefined;
  /**
   * `audience` parameter of the authorization request: not a standard, but how Auth0 names the API an
   * access token is for. Omit for every other provider.
   */
  audience?: string | undefined;
  /** Plain-HTTP issuer. Default: true only for a loopback issuer (localhost, 127.0.0.1). */
  allowInsecureRequests?: boolean;
  /** Default AUTH_SERVER_DEADLINES. */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  jwksTimeoutMs?: number;
  /** `prompt` of the authorization request; null sends none. Default 'consent' when `scope` has offline_access. */
  prompt?: string | null;
  /** Clock tolerance for ID and logout tokens, seconds. Default 30. */
  clockToleranceSeconds?: number;
  /**
   * Push authorization requests (PAR, RFC 9126) when the provider offers a
   * `pushed_authorization_request_endpoint`. Default true.
   */
  pushAuthorizationRequests?: boolean;
  /**
   * Bind access tokens to a per-session key with DPoP (RFC 9449) when the provider's discovery lists ES256
   * in `dpop_signing_alg_values_supported`. Default true.
   */
  dpop?: boolean;
}

/**
 * A step-up (RFC 9470) asked for by an API's `insufficient_user_authentication` challenge: `max_age`
 * makes the provider sign the person in again when their sign-in is older, `acr_values` names the kind
 * of sign-in wanted.
 */
export interface StepUpParams {
  maxAge?: number | undefined;
  acrValues?: string | undefined;
}

/** What the authorization request and the callback share through the transaction cookie. */
export interface AuthorizationParams {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcClient {
  readonly clientId: string;
  readonly issuer: string;
  /** The discovery document, fetched once. @throws AuthUnavailableError */
  metadata(): Promise<oauth.AuthorizationServer>;
  /** The issuer's JWKS (jose remote key set, cached and rate limited by jose). */
  jwks(): Promise<JWTVerifyGetKey>;
  authorizationUrl(params: AuthorizationParams, stepUp?: StepUpParams): Promise<URL>;
  /**
   * Validates the callback (state, code, ID token signature and claims) and redeems the code; with DPoP,
   * under a new session key (returned as `tokens.dpopKey`).
   */
  exchangeCode(
    callbackUrl: URL,
    params: AuthorizationParams,
  ): Promise<{ tokens: TokenSet; claims: oauth.IDToken }>;
  /**
   * Exchanges the refresh token; with DPoP, proving possession of the session's key `dpopKey` (a session
   * from before DPoP gets a new key, returned as `tokens.dpopKey` like the key used).
   * @throws SessionExpiredError on invalid_grant, AuthUnavailableError when the server cannot answer.
   */
  refresh(refreshToken: string, dpopKey?: DpopKeyMaterial): Promise<TokenSet>;
  /**
   * RFC 7009 revocation; never throws. @returns false when it should be retried (the provider could not
   * be reached or refused), true when it is done or the provider revokes nothing.
   */
  revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<boolean>;
  /**
   * Ends, server to server, the provider session `idToken` names, at the provider's
   * `logout_session_endpoint` (our auth service's extension): how a sign-out the provider could not be
   * reached for is completed later. @returns 'ended', 'gone' (no such session any more) or
   * 'unsupported' (the provider offers no such endpoint). @throws AuthUnavailableError when it cannot answer.
   */
  endProviderSession(idToken: string): Promise<'ended' | 'gone' | 'unsupported'>;
  /**
   * RP-initiated logout URL for the browser, or null when the provider has no end_session_endpoint.
   * It carries `client_id`, `post_logout_redirect_uri` and, when the provider offers a
   * `logout_hint_endpoint`, an opaque single-use `logout_hint` obtained server to server with `idToken`.
   * It never carries the ID token itself (SPEC §4.4). Without a hint the provider asks the user to confirm.
   */
  endSessionUrl(idToken: string | undefined): Promise<URL | null>;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** Turns a failed token endpoint call into invalid_grant → session_expired, anything else → auth_unavailable. */
function classifyTokenError(error: unknown): BffError {
  if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant')
    return new SessionExpiredError(error);
  if (error instanceof BffError) return error;
  return new AuthUnavailableError(error);
}

/** Creates an OpenID Connect confidential client (oauth4webapi, client_secret_basic, PKCE S256). */
export function createOidcClient(options: OidcClientOptions): OidcClient {
  const issuerUrl = new URL(options.issuer);
  const {
    clientId,
    clientSecret,
    redirectUri,
    postLogoutRedirectUri,
    scope = DEFAULT_SCOPE,
    resource,
    audience,
  } = options;
  const {
    connectTimeoutMs = AUTH_SERVER_DEADLINES.connectTimeoutMs,
    readTimeoutMs = AUTH_SERVER_DEADLINES.readTimeoutMs,
    jwksTimeoutMs = AUTH_SERVER_DEADLINES.jwksTimeoutMs,
    clockToleranceSeconds = 30,
    pushAuthorizationRequests = true,
    dpop = true,
  } = options;
  // OIDC Core §11: offline_access is only honoured together with prompt=consent.
  const prompt =
    options.prompt === undefined
      ? scope.split(' ').includes('offline_access')
        ? 'consent'
        : null
      : options.prompt;
  const insecure = options.allowInsecureRequests ?? (issuerUrl.protocol === 'http:' && isLoopback(issuerUrl));
  const agent = new Agent({
    connectTimeout: connectTimeoutMs,
    headersTimeout: readTimeoutMs,
    bodyTimeout: readTimeoutMs,
  });
  const http = {
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) =>
      undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    [oauth.allowInsecureRequests]: insecure,
    signal: () => AbortSignal.timeout(connectTimeoutMs + readTimeoutMs),
  };
  const client: oauth.Client = { client_id: clientId, [oauth.clockTolerance]: clockToleranceSeconds };
  const auth = oauth.ClientSecretBasic(clientSecret);

  let metadataPromise: Promise<oauth.AuthorizationServer> | undefined;
  let jwksPromise: Promise<JWTVerifyGetKey> | undefined;

  const metadata = () => {
    metadataPromise ??= oauth
      .discoveryRequest(issuerUrl, http)
      .then((response) => oauth.processDiscoveryResponse(issuerUrl, response))
      .catch((error) => {
        metadataPromise = undefined;
        throw new AuthUnavailableError(error);
      });
    return metadataPromise;
  };

  const jwks = () => {
    jwksPromise ??= metadata().then((as) => {
      if (!as.jwks_uri) throw new AuthUnavailableError(new Error('issuer has no jwks_uri'));
      return createRemoteJWKSet(new URL(as.jwks_uri), { timeoutDuration: jwksTimeoutMs });
    });
    return jwksPromise.catch((error) => {
      jwksPromise = undefined;
      throw error;
    });
  };

  /**
   * The DPoP key and oauth4webapi handle of one token request, or nothing when tokens are not bound: this
   * client was told not to, or the provider does not offer DPoP with our algorithm.
   */
  async function dpopFor(as: oauth.AuthorizationServer, existing: DpopKeyMaterial | undefined) {
    if (!dpop || !as.dpop_signing_alg_values_supported?.includes(DPOP_ALGORITHM)) return undefined;
    const key = existing ?? (await generateDpopKey());
    return { key, handle: oauth.DPoP(client, await dpopSigner(key).keyPair()) };
  }

  /**
   * Sends a token request, once more when the provider asks for a DPoP nonce (RFC 9449 §8: the handle
   * has kept the nonce of the refusal).
   */
  async function withNonceRetry<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (!oauth.isDPoPNonceError(error)) throw error;
      return send();
    }
  }

  return {
    clientId,
    issuer: options.issuer,
    metadata,
    jwks,

    async authorizationUrl({ state, nonce, codeVerifier }, stepUp = {}) {
      const as = await metadata();
      if (!as.authorization_endpoint) throw new AuthUnavailableError(new Error('no authorization_endpoint'));
      const params = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      if (prompt) params.set('prompt', prompt);
      if (resource) params.set('resource', resource);
      if (audience) params.set('audience', audience);
      if (stepUp.maxAge !== undefined) params.set('max_age', String(stepUp.maxAge));
      if (stepUp.acrValues) params.set('acr_values', stepUp.acrValues);
      const url = new URL(as.authorization_endpoint);
      if (!pushAuthorizationRequests || !as.pushed_authorization_request_endpoint) {
        url.search = params.toString();
        return url;
      }
      // RFC 9126: the parameters go to the provider server to server, authenticated as this client; the
      // browser carries only client_id and an opaque, short-lived request_uri.
      let requestUri: string;
      try {
        const response = await oauth.pushedAuthorizationRequest(as, client, auth, params, http);
        requestUri = (await oauth.processPushedAuthorizationResponse(as, client, response)).request_uri;
      } catch (error) {
        throw new AuthUnavailableError(error);
      }
      url.search = new URLSearchParams({ client_id: clientId, request_uri: requestUri }).toString();
      return url;
    },

    async exchangeCode(callbackUrl, { state, nonce, codeVerifier }) {
      const as = await metadata();
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, client, callbackUrl, state);
      } catch (error) {
        throw new BffError(400, errorCodes.loginFailed, 'The sign-in could not be completed', {
          cause: error,
        });
      }
      let result: oauth.TokenEndpointResponse;
      let bound: Awaited<ReturnType<typeof dpopFor>>;
      try {
        bound = await dpopFor(as, undefined);
        result = await withNonceRetry(async () => {
          const response = await oauth.authorizationCodeGrantRequest(
            as,
            client,
            auth,
            params,
            redirectUri,
            codeVerifier,
            {
              ...http,
              ...(resource ? { additionalParameters: { resource } } : {}),
              ...(bound ? { DPoP: bound.handle } : {}),
            },
          );
          return oauth.processAuthorizationCodeResponse(as, client, response, {
            expectedNonce: nonce,
            requireIdToken: true,
          });
        });
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError && error.status < 500) {
          throw new BffError(400, errorCodes.loginFailed, 'The sign-in could not be completed', {
            cause: error,
          });
        }
        if (error instanceof oauth.OperationProcessingError) {
          throw new BffError(400, errorCodes.loginFailed, 'The sign-in could not be completed', {
            cause: error,
          });
        }
        throw new AuthUnavailableError(error);
      }
      const claims = oauth.getValidatedIdTokenClaims(result)!;
      // oauth4webapi checks the ID token's claims; its signature is checked here too (defence in depth).
      try {
        await jwtVerify(result.id_token!, await jwks(), {
          issuer: as.issuer,
          audience: clientId,
          clockTolerance: clockToleranceSeconds,
        });
      } catch (error) {
        if (error instanceof AuthUnavailableError) throw error;
        throw new BffError(400, errorCodes.loginFailed, 'The sign-in could not be completed', {
          cause: error,
        });
      }
      const tokens = tokenSetFrom(result, Math.floor(Date.now() / 1000));
      return { tokens: bound ? { ...tokens, dpopKey: bound.key } : tokens, claims };
    },

    async refresh(refreshToken, dpopKey) {
      try {
        const as = await metadata();
        const bound = await dpopFor(as, dpopKey);
        const result = await withNonceRetry(async () => {
          const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
            ...http,
            ...(resource ? { additionalParameters: { resource } } : {}),
            ...(bound ? { DPoP: bound.handle } : {}),
          });
          return oauth.processRefreshTokenResponse(as, client, response);
        });
        const tokens = tokenSetFrom(result, Math.floor(Date.now() / 1000));
        return bound ? { ...tokens, dpopKey: bound.key } : tokens;
      } catch (error) {
        throw classifyTokenError(error);
      }
    },

    async revoke(token, hint) {
      try {
        const as = await metadata();
        // No revocation endpoint: nothing to retry either.
        if (!as.revocation_endpoint) return true;
        const response = await oauth.revocationRequest(as, client, auth, token, {
          ...http,
          additionalParameters: { token_type_hint: hint },
        });
        await oauth.processRevocationResponse(response);
        return true;
      } catch {
        // A sign-out completes locally even when the provider cannot be reached; the caller decides.
        return false;
      }
    },

    async endProviderSession(idToken) {
      const as = await metadata();
      const endpoint =
        typeof as.logout_session_endpoint === 'string' ? URL.parse(as.logout_session_endpoint) : null;
      // The ID token goes only to the issuer's own origin, whatever a discovery document says.
      if (!endpoint || endpoint.origin !== issuerUrl.origin) return 'unsupported';
      let response: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        response = await serverToServer(endpoint, idToken);
      } catch (error) {
        throw new AuthUnavailableError(error);
      }
      if (!response.ok) {
        // A 4xx names a client or token the provider will never accept: retrying cannot help.
        if (response.status < 500) return 'gone';
        throw new AuthUnavailableError(new Error(`logout_session_endpoint answered ${response.status}`));
      }
      const { ended } = (await response.json().catch(() => ({}))) as { ended?: unknown };
      return ended === true ? 'ended' : 'gone';
    },

    async endSessionUrl(idToken) {
      const as = await metadata();
      if (!as.end_session_endpoint) return null;
      const url = new URL(as.end_session_endpoint);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
      const hint = idToken ? await logoutHint(as, idToken) : undefined;
      if (hint) url.searchParams.set('logout_hint', hint);
      return url;
    },
  };

  /**
   * Trades the ID token for an opaque logout hint at the provider's `logout_hint_endpoint` (our auth
   * service's extension; see its logout/logout-hint-route.ts), authenticated as this client. Any failure
   * gives no hint: the sign-out still works, the provider just asks the user to confirm it.
   */
  /** POSTs `id_token_hint` to one of the provider's logout extensions, authenticated as this client. */
  function serverToServer(endpoint: URL, idToken: string) {
    return undiciFetch(endpoint, {
      method: 'POST',
      dispatcher: agent,
      signal: http.signal(),
      headers: {
        authorization: `Basic ${btoa(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ id_token_hint: idToken }).toString(),
    });
  }

  async function logoutHint(as: oauth.AuthorizationServer, idToken: string): Promise<string | undefined> {
    const endpoint = typeof as.logout_hint_endpoint === 'string' ? URL.parse(as.logout_hint_endpoint) : null;
    // The ID token goes only to the issuer's own origin, whatever a discovery document says.
    if (!endpoint || endpoint.origin !== issuerUrl.origin) return undefined;
    try {
      const response = await serverToServer(endpoint, idToken);
      if (!response.ok) return undefined;
      const { logout_hint: hint } = (await response.json()) as { logout_hint?: unknown };
      // Opaque and URL-safe; something JWT-shaped is refused rather than handed to the browser.
      return typeof hint === 'string' && /^[\w-]{16,256}$/.test(hint) ? hint : undefined;
    } catch {
      return undefined;
    }
  }
}

/** RFC 6749 §2.3.1: client_secret_basic credentials are form-urlencoded before base64. */
const formUrlEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
