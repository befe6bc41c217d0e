import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** `{"status":"success","data":…}` — the success envelope of every API. */
export function success<T>(c: Context, data: T, status: ContentfulStatusCode = 200) {
  return c.json({ status: 'success' as const, data }, status);
}

export interface ErrorBody {
  status: 'error';
  error: { code: string; message: string; requestId: string; details?: unknown };
}

/** `{"status":"error","error":{code,message,requestId}}` — the error envelope. */
export function errorBody(code: string, message: string, requestId: string, details?: unknown): ErrorBody {
  return {
    status: 'error',
    error: { code, message, requestId, ...(details === undefined ? {} : { details }) },
  };
}

export function failure(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
) {
  return c.json(errorBody(code, message, c.get('requestId') ?? 'unknown', details), status);
}
