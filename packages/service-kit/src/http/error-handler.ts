import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AppError } from '../errors';
import { isRedisUnavailableError } from '../redis/redis-unavailable';
import { failure } from './envelope';

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/**
 * Maps every thrown error to the error envelope (with `Retry-After` when an AppError's details say
 * `retryAfterSeconds`): Redis being unreachable is a 503 with Retry-After;
 * unknown errors become a 500 without details.
 */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c: Context) => {
    const requestId = c.get('requestId');
    if (error instanceof AppError) {
      if (error.status >= 500) logger.error({ err: error, requestId }, error.message);
      const retryAfter = retryAfterOf(error);
      if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
      return failure(c, error.status as ContentfulStatusCode, error.code, error.message, error.details);
    }
    if (error instanceof ZodError) {
      return failure(c, 422, 'validation_failed', 'The request is invalid', fieldErrors(error));
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      return failure(c, status, STATUS_CODES[status] ?? 'http_error', error.message || 'Request failed');
    }
    if (isRedisUnavailableError(error)) {
      logger.warn({ err: error, requestId }, 'redis unavailable');
      c.header('Retry-After', '2');
      return failure(c, 503, 'unavailable', 'The service is temporarily unavailable. Try again in a moment.');
    }
    logger.error({ err: error, requestId }, 'unhandled error');
    return failure(c, 500, 'internal_error', 'Something went wrong on our side');
  };
}

/**
 * A limit's answer (429, or a 503 that says when to come back) carries `details.retryAfterSeconds`; the
 * same number goes into `Retry-After` (RFC 9110 §10.2.3), so clients and proxies need not read the body.
 */
function retryAfterOf(error: AppError): number | undefined {
  if (error.status !== 429 && error.status !== 503) return undefined;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 ? seconds : undefined;
}

export const notFoundHandler: NotFoundHandler = (c) => failure(c, 404, 'not_found', 'No such route');

/** `{ field: [messages] }` from a ZodError, for 422 answers a form can show beside its fields. */
export function fieldErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}
