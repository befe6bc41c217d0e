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

/** Headers of the tiny pages below: nothing loads, nothing frames them, no Referer leaves them. */
function hopHeaders(requestId: string, setCookie: string[]): Headers {
  const headers = new Headers({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
    [REQUEST_ID_HEADER]: requestId,
  });
  for (const c of setCookie) headers.append('Set-Cookie', c);
  return headers;
}

/**
 * A page that moves on to `location` by itself. A `SameSite=Strict` cookie is not sent on a navigation
 * that began on another site (the redirect chain from the provider's page did); a navigation this page
 * starts begins on our own site, so the cookie goes along.
 */
export function sameSiteHop(location: string, requestId: string, setCookie: string[] = []): Response {
  const url = escapeAttribute(location);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>Signing in…</title></head><body><p>Signing in… <a href="${url}">Continue</a></p></body></html>`;
  return new Response(body, { status: 200, headers: hopHeaders(requestId, setCookie) });
}

/**
 * The end of a sign-in: for Strict sessions the same-site hop above (the new cookie must ride the next
 * navigation), for Lax sessions a plain 303.
 */
export function redirectAfterSignIn(
  location: string,
  requestId: string,
  setCookie: string[],
  sameSite: 'Lax' | 'Strict',
): Response {
  if (sameSite === 'Lax') return redirect(location, requestId, setCookie);
  return sameSiteHop(location, requestId, setCookie);
}

/**
 * Runs a handler with its request id; anything thrown becomes the error envelope (a BffError keeps its
 * status, anything else is a 500 that is logged with the request id and reveals nothing), or what
 * `answer` makes of it (the sign-in endpoints answer a person with a page).
 */
export async function guarded(
  ctx: BffContext,
  request: Request,
  run: (requestId: string) => Promise<Response>,
  answer: (error: unknown, requestId: string) => Response = toErrorResponse,
): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    const response = await run(requestId);
    // Operators need every 5xx in the logs, including the ones answered rather than thrown (upstream down).
    if (response.status >= 500) {
      ctx.logger.error({ requestId, status: response.status }, 'bff-core: answered with a server error');
    }
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
    return answer(error, requestId);
  }
}

/** The error envelope plus Set-Cookie values (a cleared session cookie, typically). */
export function errorWithCookies(error: BffError, requestId: string, setCookie: string[]): Response {
  return withCookies(toErrorResponse(error, requestId), setCookie);
}
