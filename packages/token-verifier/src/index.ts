export {
  type AccessTokenAuthOptions,
  type AuthEnv,
  accessTokenAuth,
  RETRY_AFTER_UNAVAILABLE_SEC,
} from './access-token-auth';
export { accessTokenEnvShape, accessTokenProfileFromEnv } from './access-token-env';
export type { AccessTokenIdentity } from './access-token-identity';
export {
  type AccessTokenProfile,
  normalizeTyp,
  type ResolvedAccessTokenProfile,
  requiredClaimsProblem,
  resolveAccessTokenProfile,
  typesProblem,
} from './access-token-profile';
export { authChallenge, type ChallengeParams } from './auth-challenge';
export {
  ACCESS_TOKEN_TYPE,
  ALLOWED_ALGORITHMS,
  ALWAYS_REQUIRED_CLAIMS,
  DEFAULT_ACCESS_TOKEN_TYPES,
  DEFAULT_CLOCK_TOLERANCE_SEC,
  DEFAULT_JWKS_CACHE_MAX_AGE_MS,
  DEFAULT_JWKS_COOLDOWN_MS,
  DEFAULT_JWKS_MAX_STALE_MS,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_MAX_TOKEN_LENGTH,
  REQUIRED_CLAIMS,
} from './constants';
export {
  createDpopProofChecker,
  DEFAULT_DPOP_PROOF_MAX_AGE_SEC,
  DPOP_ALGORITHMS,
  type DpopProofChecker,
  type DpopRequest,
  type VerifiedDpopProof,
} from './dpop-proof';
export { createDpopReplayCache, type DpopReplayCache } from './dpop-replay';
export { type TokenErrorCode, TokenVerificationError } from './errors';
export {
  type AuthorizationParseResult,
  type AuthorizationScheme,
  parseAuthorization,
} from './parse-authorization';
export {
  createUserRateLimiter,
  DEFAULT_USER_RATE_LIMIT_DURATION_SEC,
  DEFAULT_USER_RATE_LIMIT_POINTS,
  type RateLimitDecision,
  type UserRateLimiter,
  type UserRateLimitOptions,
} from './rate-limit';
export { connectRevocationStore, type RevocationConnectionOptions } from './revocation-connection';
export { createServiceVerifier, type ServiceVerifierOptions } from './service-verifier';
export {
  createTokenVerifier,
  type DpopPolicy,
  type PresentedCredentials,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier';
