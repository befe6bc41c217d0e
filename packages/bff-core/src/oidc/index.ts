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
  type StepUpParams,
} from './oidc-client';
export { type TokenSet, tokenSetFrom, unverifiedClaims } from './token-set';
export {
  createTransactionStore,
  fitsTransaction,
  MAX_RETURN_TO_BYTES,
  MAX_TRANSACTIONS,
  TRANSACTION_BUDGET_BYTES,
  TRANSACTION_GRACE_SECONDS,
  TRANSACTION_TTL_SECONDS,
  type Transaction,
  type TransactionLookup,
  type TransactionStore,
  type TransactionStoreOptions,
} from './transaction';
