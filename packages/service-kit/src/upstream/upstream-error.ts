import { AppError } from '@bff-auth/service-kit/errors';

/** Stable codes for failures of the auth service as seen by the services that call it. */
export type UpstreamErrorCode =
  | 'auth_service_unavailable'
  | 'auth_service_timeout'
  | 'auth_service_error'
  | 'auth_service_rejected_credentials'
  | 'auth_service_refused_subject';

const STATUS: Record<UpstreamErrorCode, number> = {
  auth_service_unavailable: 503,
  auth_service_timeout: 504,
  auth_service_error: 502,
  auth_service_rejected_credentials: 502,
  // The caller's own token is what was refused (revoked, or its user lost the role): not an outage.
  auth_service_refused_subject: 403,
};

const MESSAGES: Record<UpstreamErrorCode, string> = {
  auth_service_unavailable: 'The auth service is unavailable; try again shortly',
  auth_service_timeout: 'The auth service did not answer in time',
  auth_service_error: 'The auth service failed to handle the request',
  auth_service_rejected_credentials: 'The auth service refused our client credentials',
  auth_service_refused_subject: 'The auth service refused to act for this user',
};

/** The auth service could not do what was asked for a reason that is not the caller's fault. */
export class UpstreamError extends AppError {
  constructor(code: UpstreamErrorCode, cause?: unknown) {
    super(STATUS[code], code, MESSAGES[code], { cause });
    this.name = 'UpstreamError';
  }
}

/** A fetch failure as an UpstreamError: timeouts become 504, everything else 503. */
export function fromFetchFailure(error: unknown): UpstreamError {
  const name = (error as { name?: string } | null)?.name;
  return new UpstreamError(
    name === 'TimeoutError' || name === 'AbortError' ? 'auth_service_timeout' : 'auth_service_unavailable',
    error,
  );
}
