export {
  type ClientCredentialsOptions,
  type ClientCredentialsTokenSource,
  createClientCredentialsTokenSource,
  DEFAULT_TOKEN_LIFETIME_SEC,
  TOKEN_REFRESH_SKEW_SEC,
  TOKEN_REQUEST_TIMEOUT_MS,
} from './client-credentials';
export { fromFetchFailure, UpstreamError, type UpstreamErrorCode } from './upstream-error';
