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

const escapeAttribute = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The end of a sign-in. A `SameSite=Strict` cookie is not sent on a navigation that began on another
 * site — and the redirect chain from the provider's page did. So for Strict sessions the callback answers
 * a tiny page that moves on by itself: that navigation starts on our own site, and the cookie goes along.
 * Lax sessions get a plain 303.
 */
export function redirectAfterSignIn(
  location: string,
  requestId: string,
  setCookie: string[],
  sameSite: 'Lax' | 'Strict',
): Response {
  if (sameSite === 'Lax') return redirect(location, requestId, setCookie);
  const url = escapeAttribute(location);
  const headers = new Headers({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    [REQUEST_ID_HEADER]: requestId,
  });
  for (const c of setCookie) headers.append('Set-Cookie', c);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Signing in…</title></head><body><p>Signing in… <a href="${url}">Continue</a></p></body></html>`;
  return new Response(body, { status: 200, headers });
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
