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
export {
  type AuthEnv,
  type BearerAuthOptions,
  bearerAuth,
  RETRY_AFTER_UNAVAILABLE_SEC,
} from './bearer-auth';
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
export { type TokenErrorCode, TokenVerificationError } from './errors';
export { type BearerParseResult, parseBearer } from './parse-bearer';
export {
  DEFAULT_USER_RATE_LIMIT_DURATION_SEC,
  DEFAULT_USER_RATE_LIMIT_POINTS,
  type UserRateLimitOptions,
  userRateLimit,
} from './rate-limit';
export { connectRevocationStore, type RevocationConnectionOptions } from './revocation-connection';
export { createServiceVerifier, type ServiceVerifierOptions } from './service-verifier';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './token-verifier';
