import { AppError } from '@bff-auth/service-kit/errors';

/** Stable codes of TokenVerificationError; clients branch on these, never on the message. */
export type TokenErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'token_expired'
  | 'token_revoked'
  | 'token_outdated'
  | 'revocation_unavailable'
  | 'jwks_unavailable';

const STATUS: Record<TokenErrorCode, 401 | 503> = {
  missing_token: 401,
  invalid_token: 401,
  invalid_dpop_proof: 401,
  token_expired: 401,
  token_revoked: 401,
  token_outdated: 401,
  revocation_unavailable: 503,
  jwks_unavailable: 503,
};

const MESSAGES: Record<TokenErrorCode, string> = {
  missing_token: 'A bearer access token is required',
  invalid_token: 'The access token is invalid',
  invalid_dpop_proof: 'The DPoP proof is invalid',
  token_expired: 'The access token has expired',
  token_revoked: 'The access token has been revoked',
  token_outdated: "The user's roles changed after this access token was issued; get a new one",
  revocation_unavailable: 'Cannot check the access token right now; try again shortly',
  jwks_unavailable: 'Cannot check the access token right now; try again shortly',
};

/**
 * Why an access token was not accepted. 401 codes mean "get a new token"; 503 codes mean the server
 * could not decide (Redis or the JWKS did not answer) and refused rather than let the request through.
 * `reason` says more for the logs (a jose error code or a revocation reason) and is never sent to clients.
 */
export class TokenVerificationError extends AppError {
  declare readonly code: TokenErrorCode;
  declare readonly status: 401 | 503;
  readonly reason: string;

  constructor(code: TokenErrorCode, options: { reason?: string; cause?: unknown } = {}) {
    super(STATUS[code], code, MESSAGES[code], { cause: options.cause });
    this.name = 'TokenVerificationError';
    this.reason = options.reason ?? code;
  }
}
