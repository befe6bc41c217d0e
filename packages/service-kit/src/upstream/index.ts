export {
  type AuthServiceCall,
  type AuthServiceCaller,
  type AuthServiceCallerOptions,
  type CallTokens,
  createAuthServiceCaller,
} from './auth-service-caller';
export { type CachedToken, createCachedToken, type FetchedToken } from './cached-token';
export {
  type ClientCredentialsOptions,
  type ClientCredentialsTokenSource,
  createClientCredentialsTokenSource,
  DEFAULT_TOKEN_LIFETIME_SEC,
  TOKEN_REFRESH_SKEW_SEC,
  TOKEN_REQUEST_TIMEOUT_MS,
} from './client-credentials';
export {
  ACCESS_TOKEN_TYPE,
  createTokenExchangeSource,
  DEFAULT_EXCHANGE_CACHE_SIZE,
  TOKEN_EXCHANGE_GRANT_TYPE,
  type TokenExchangeOptions,
  type TokenExchangeSource,
} from './token-exchange';
export { fromFetchFailure, UpstreamError, type UpstreamErrorCode } from './upstream-error';
