export {
  BACKCHANNEL_LOGOUT_EVENT,
  createLogoutTokenVerifier,
  InvalidLogoutTokenError,
  LOGOUT_TOKEN_MAX_AGE_SECONDS,
  type LogoutTokenClaims,
  type LogoutTokenVerifierOptions,
} from './logout-token';
export {
  AUTH_SERVER_DEADLINES,
  type AuthorizationParams,
  createOidcClient,
  DEFAULT_SCOPE,
  type OidcClient,
  type OidcClientOptions,
} from './oidc-client';
export { type TokenSet, tokenSetFrom, unverifiedClaims } from './token-set';
export {
  createTransactionStore,
  TRANSACTION_TTL_SECONDS,
  type Transaction,
  type TransactionStore,
} from './transaction';
