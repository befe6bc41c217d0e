import { BffError, errorCodes } from '../errors';
import { REQUEST_ID_HEADER } from './request-id';

/** `{"status":"error","error":{code,message,requestId}}`, the error envelope of SPEC §5. */
export interface ErrorEnvelope {
  status: 'error';
  error: { code: string; message: string; requestId: string };
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/** A JSON response that is never cached by the browser or a shared cache. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  for (const [k, v] of Object.entries(JSON_HEADERS)) if (!h.has(k)) h.set(k, v);
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** The error envelope as a Response, carrying `X-Request-ID`. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: HeadersInit = {},
): Response {
  const h = new Headers(headers);
  h.set(REQUEST_ID_HEADER, requestId);
  const body: ErrorEnvelope = { status: 'error', error: { code, message, requestId } };
  return jsonResponse(body, status, h);
}

/**
 * Turns anything thrown inside a handler into the envelope: a BffError keeps its status and code,
 * anything else becomes a 500 `internal_error` whose message reveals nothing.
 */
export function toErrorResponse(error: unknown, requestId: string, headers: HeadersInit = {}): Response {
  if (error instanceof BffError) {
    const h = new Headers(headers);
    for (const [k, v] of Object.entries(error.headers)) h.set(k, v);
    return errorResponse(error.status, error.code, error.message, requestId, h);
  }
  return errorResponse(500, errorCodes.internal, 'Internal error', requestId, headers);
}
