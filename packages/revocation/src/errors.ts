/** Raised when the revocation state cannot be read in time: callers must fail closed (503). */
export class RevocationUnavailableError extends Error {
  readonly code = 'REVOCATION_UNAVAILABLE';
  readonly status = 503;
  constructor(cause: unknown) {
    super('revocation state is unavailable', { cause });
    this.name = 'RevocationUnavailableError';
  }
}
