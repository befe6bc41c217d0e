/** An error that maps to an HTTP answer. `code` is stable: callers and clients branch on it. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;
  constructor(
    status: number,
    code: string,
    message: string,
    options: { cause?: unknown; details?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.details = options.details;
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, { details });
export const unauthorized = (message = 'Authentication required', code = 'unauthorized') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You do not have permission to do this') =>
  new AppError(403, 'forbidden', message);
export const notFound = (message = 'Not found') => new AppError(404, 'not_found', message);
export const unprocessable = (message: string, details?: unknown) =>
  new AppError(422, 'validation_failed', message, { details });
export const serviceUnavailable = (message = 'Service temporarily unavailable', cause?: unknown) =>
  new AppError(503, 'service_unavailable', message, { cause });
