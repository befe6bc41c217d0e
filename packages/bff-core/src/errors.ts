/**
 * Every error bff-core answers with. `code` is stable: the browser code and the apps branch on it,
 * never on the message. `status` is the HTTP status the handlers answer with.
 */
export class BffError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra response headers, such as `Retry-After` on a 503. */
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'BffError';
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
  }
}

/** Thrown by `createBff` and the other factories when an option is invalid; names the option. */
export class BffConfigError extends Error {
  readonly code = 'BFF_CONFIG_INVALID';
  constructor(message: string) {
    super(`@bff-auth/bff-core: ${message}`);
    this.name = 'BffConfigError';
  }
}

/** The stable error codes of the BFF answers. */
export const errorCodes = {
  unauthenticated: 'unauthenticated',
  sessionExpired: 'session_expired',
  sessionRevoked: 'session_revoked',
  authUnavailable: 'auth_unavailable',
  revocationUnavailable: 'revocation_unavailable',
  forbidden: 'forbidden',
  csrf: 'csrf_rejected',
  badRequest: 'bad_request',
  invalidParam: 'invalid_param',
  invalidQuery: 'invalid_query',
  uriTooLong: 'uri_too_long',
  methodNotAllowed: 'method_not_allowed',
  notFound: 'not_found',
  payloadTooLarge: 'payload_too_large',
  tooManyStreams: 'too_many_streams',
  upstreamUnavailable: 'upstream_unavailable',
  upstreamTimeout: 'upstream_timeout',
  upstreamBadResponse: 'upstream_bad_response',
  loginFailed: 'login_failed',
  invalidLogoutToken: 'invalid_logout_token',
  internal: 'internal_error',
} as const;

/** The refresh token was refused (invalid_grant): the session is over. 401, the cookie is cleared. */
export class SessionExpiredError extends BffError {
  constructor(cause?: unknown) {
    super(401, errorCodes.sessionExpired, 'Your session has expired; sign in again', { cause });
    this.name = 'SessionExpiredError';
  }
}

/** The authorization server did not answer (network error, timeout, 5xx). 503, the session is kept. */
export class AuthUnavailableError extends BffError {
  constructor(cause?: unknown, retryAfterSeconds = 5) {
    super(503, errorCodes.authUnavailable, 'The sign-in service is temporarily unavailable', {
      cause,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
    this.name = 'AuthUnavailableError';
  }
}
