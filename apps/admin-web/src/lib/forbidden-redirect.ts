/** The page that explains a 403 to a person (src/app/forbidden). */
export const FORBIDDEN_PATH = '/forbidden';

/**
 * bff-core's callback answers a signed-in user without the admin role with a 403 (and no session): a
 * page for a browser, the JSON envelope for `Accept: application/json`. Either way the person gets a
 * 303 to the app's own 403 page instead; the response's Set-Cookie values (ending the sign-in
 * transaction and any session) and request id are kept. A 403 is the callback's only one.
 */
export async function forbiddenAsRedirect(response: Response): Promise<Response> {
  if (response.status !== 403) return response;
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { error?: { code?: string } } | null;
    if (body?.error?.code !== 'forbidden') return response;
  }
  // A relative Location keeps the request's Host header out of the answer.
  const headers = new Headers({ Location: FORBIDDEN_PATH, 'Cache-Control': 'no-store' });
  for (const cookie of response.headers.getSetCookie()) headers.append('Set-Cookie', cookie);
  const requestId = response.headers.get('x-request-id');
  if (requestId) headers.set('X-Request-ID', requestId);
  return new Response(null, { status: 303, headers });
}
