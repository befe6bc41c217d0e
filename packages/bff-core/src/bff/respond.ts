import { BffError } from '../errors';
import { withCookies } from '../http/cookies';
import { toErrorResponse } from '../http/envelope';
import { REQUEST_ID_HEADER, requestIdOf } from '../http/request-id';
import type { BffContext } from './context';

/** A 303 redirect that no cache keeps. */
export function redirect(location: string, requestId: string, setCookie: string[] = []): Response {
  const headers = new Headers({
    Location: location,
    'Cache-Control': 'no-store',
    [REQUEST_ID_HEADER]: requestId,
  });
  for (const c of setCookie) headers.append('Set-Cookie', c);
  return new Response(null, { status: 303, headers });
}

/**
 * Runs a handler with its request id; anything thrown becomes the error envelope (a BffError keeps its
 * status, anything else is a 500 that is logged with the request id and reveals nothing).
 */
export async function guarded(
  ctx: BffContext,
  request: Request,
  run: (requestId: string) => Promise<Response>,
): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    const response = await run(requestId);
    if (!response.headers.has(REQUEST_ID_HEADER)) {
      try {
        response.headers.set(REQUEST_ID_HEADER, requestId);
      } catch {
        // immutable headers (a fetched Response): the id is then only in the logs
      }
    }
    return response;
  } catch (error) {
    if (!(error instanceof BffError) || error.status >= 500) {
      ctx.logger.error(
        {
          requestId,
          err: error instanceof Error ? { name: error.name, code: (error as BffError).code } : String(error),
        },
        'bff-core: request failed',
      );
    }
    return toErrorResponse(error, requestId);
  }
}

/** The error envelope plus Set-Cookie values (a cleared session cookie, typically). */
export function errorWithCookies(error: BffError, requestId: string, setCookie: string[]): Response {
  return withCookies(toErrorResponse(error, requestId), setCookie);
}
