/** The only signature algorithm accepted (SPEC §3): RS256. Everything else, `none` included, is refused. */
export const ALLOWED_ALGORITHMS = ['RS256'] as const;

/** JOSE header `typ` of an access token (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Accepted `typ` values by default: our auth service's (RFC 9068). Keycloak and Auth0 send `JWT`. */
export const DEFAULT_ACCESS_TOKEN_TYPES: readonly string[] = [ACCESS_TOKEN_TYPE];

/** Claims every access token must carry by default (SPEC §6). */
export const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'jti'] as const;

/**
 * Claims no setting can drop: `sub` is the caller, `exp` bounds the token's life, `iat` is what the
 * revocation checks compare with the user's not-before and last role change.
 */
export const ALWAYS_REQUIRED_CLAIMS = ['exp', 'iat', 'sub'] as const;

/** Allowed clock skew between the issuer and this server, in seconds, for exp, nbf and iat. */
export const DEFAULT_CLOCK_TOLERANCE_SEC = 5;

/** How long one JWKS fetch may take (SPEC §5: JWKS read deadline 3 s). */
export const DEFAULT_JWKS_TIMEOUT_MS = 3_000;

/** Minimum time between two JWKS fetches caused by unknown `kid`s, so forged kids cannot hammer the issuer. */
export const DEFAULT_JWKS_COOLDOWN_MS = 30_000;

/** After this age the JWKS is fetched again on the next request (picks up rotations and removals). */
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;

/**
 * How long the last good JWKS keeps verifying while the JWKS endpoint is unreachable (SPEC §7: "JWKS
 * unreachable → APIs keep verifying with cached keys"). Tokens live minutes; a day covers any outage
 * while still bounding how long a removed key could be trusted.
 */
export const DEFAULT_JWKS_MAX_STALE_MS = 24 * 60 * 60_000;

/**
 * Longest `Authorization` token read. Our access tokens are about 1 KB even with 20 roles; anything far
 * larger is refused before it is parsed, so a 20 KB token costs no base64 or JSON work.
 */
export const DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
