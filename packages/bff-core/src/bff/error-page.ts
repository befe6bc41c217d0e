import { createHash } from 'node:crypto';
import { BffError, errorCodes } from '../errors';
import { withCookies } from '../http/cookies';
import { toErrorResponse } from '../http/envelope';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { DEFAULT_RETURN_TO } from '../return-to/safe-return-to';

/** Where "Try again" starts a new sign-in that lands on `returnTo`. */
export const loginHref = (returnTo: string) =>
  returnTo === DEFAULT_RETURN_TO
    ? '/api/auth/login'
    : `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`;

/**
 * Whether an auth endpoint's caller is a script that asked for JSON (`fetch` with
 * `Accept: application/json`) rather than a person's browser navigating there.
 */
export function wantsJson(request: Request): boolean {
  if (request.headers.get('sec-fetch-mode') === 'navigate') return false;
  const accept = request.headers.get('accept') ?? '';
  return /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escapes text for HTML content and quoted attributes. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

// The apps' palette (packages/ui), inline so the page needs nothing else; allowed by its hash alone.
const STYLE = `:root{color-scheme:light;--ink:#14213d;--muted:#5c677d;--line:#d8dee9;--bg:#f4f6fb;--accent:#2f5bea}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:min(460px,calc(100vw - 32px));background:#fff;border:1px solid var(--line);border-radius:10px;padding:32px;box-shadow:0 6px 20px rgba(20,33,61,.07)}
h1{font-size:1.4rem;margin:0 0 .5rem}
p{margin:0 0 1.25rem}
.actions{display:flex;gap:16px;align-items:center}
.button{display:inline-block;padding:10px 16px;border-radius:8px;background:var(--accent);color:#fff;font-weight:600;text-decoration:none}
a{color:var(--accent)}
.support{color:var(--muted);font-size:.85rem;margin:1.5rem 0 0}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** A heading per error code, in plain words; the error's message says what happened. */
function titleOf(error: BffError): string {
  switch (error.code) {
    case errorCodes.loginFailed:
      return 'Sign-in did not finish';
    case errorCodes.forbidden:
      return 'This account cannot use this app';
    case errorCodes.authUnavailable:
    case errorCodes.revocationUnavailable:
      return 'Sign-in is unavailable right now';
    default:
      return 'Something went wrong';
  }
}

/** The page a person sees when a sign-in fails: what happened, "Try again", and the request id. */
export function renderErrorPage(
  error: BffError,
  { retryHref, requestId }: { retryHref: string; requestId: string },
) {
  const title = escapeHtml(titleOf(error));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>${escapeHtml(error.message)}</p>
<p class="actions"><a class="button" href="${escapeHtml(retryHref)}">Try again</a> <a href="/">Home</a></p>
<p class="support">If this keeps happening, give support this request ID: <code>${escapeHtml(requestId)}</code></p>
</main>
</body>
</html>`;
}

const internalError = () =>
  new BffError(
    500,
    errorCodes.internal,
    'The app could not finish the sign-in because of an error on our side.',
  );

/**
 * The answer to a failed `/api/auth/login` or `/api/auth/callback`: the error envelope for a script
 * that asked for JSON, else the HTML page. Anything that is not a BffError is a 500 that says nothing
 * more. Set-Cookie values (a used transaction, a cleared session) go on either.
 */
export function authErrorResponse(
  request: Request,
  error: unknown,
  requestId: string,
  { returnTo, setCookie = [] }: { returnTo: string; setCookie?: string[] },
): Response {
  if (wantsJson(request)) return withCookies(toErrorResponse(error, requestId), setCookie);
  // A 500's message may be for developers; a person gets the generic one (the log has the details).
  const shown = error instanceof BffError && error.status !== 500 ? error : internalError();
  const headers = new Headers({
    ...shown.headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': PAGE_CSP,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    [REQUEST_ID_HEADER]: requestId,
  });
  for (const c of setCookie) headers.append('Set-Cookie', c);
  const body = renderErrorPage(shown, { retryHref: loginHref(returnTo), requestId });
  return new Response(body, { status: shown.status, headers });
}
