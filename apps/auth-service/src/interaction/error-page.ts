import { escapeHtml, layout } from './html';

/** What a person reads for each OAuth/OIDC error code a browser can meet; the code itself is shown small. */
const PLAIN_WORDS: Record<string, string> = {
  invalid_client: 'This app is not known to the sign-in service.',
  unauthorized_client: 'This app is not allowed to sign you in this way.',
  invalid_redirect_uri: 'The app asked to send you back to an address it has not registered.',
  redirect_uri_mismatch: 'The app asked to send you back to an address it has not registered.',
  invalid_request: 'The app’s sign-in request was incomplete or not valid.',
  invalid_scope: 'The app asked for permissions that are not available.',
  invalid_target: 'The app asked for access to a service it may not use.',
  unsupported_response_type: 'The app asked to sign you in in a way we do not support.',
  access_denied: 'Sign-in was cancelled or refused.',
  login_required: 'You need to sign in again.',
  session_not_found: 'This sign-in took too long or was already finished.',
  expired_sign_in: 'This sign-in link has expired.',
  server_error: 'Something went wrong on our side.',
  temporarily_unavailable: 'The sign-in service is busy. Please try again in a moment.',
};
const FALLBACK = 'The sign-in request could not be completed.';

export interface ErrorPageView {
  /** OAuth error code (or one of ours, e.g. expired_sign_in); decides the words shown. */
  code: string;
  /** Echoed so that support can find the request in the logs. */
  requestId?: string | undefined;
  /** The app's address, when the failing request named a known app ("Try again"). */
  tryAgainUrl?: string | undefined;
}

/**
 * The provider's error page (issue #14): plain words in the sign-in page's style, the request id, a
 * "Try again" link back to the app when one is known. Never a stack trace, a description meant for
 * developers or raw JSON.
 */
export function renderErrorPage({ code, requestId, tryAgainUrl }: ErrorPageView) {
  const message = PLAIN_WORDS[code] ?? FALLBACK;
  const next = tryAgainUrl
    ? `<p><a class="button" href="${escapeHtml(tryAgainUrl)}">Try again</a></p>`
    : '<p>Go back to the app and sign in again.</p>';
  return layout({
    title: 'Sign-in problem',
    body: `<h1>We could not sign you in</h1>
<p class="lead" role="alert">${escapeHtml(message)}</p>
${next}
<p class="hint">Code: <code>${escapeHtml(code)}</code>${
      requestId ? ` · Reference: <code>${escapeHtml(requestId)}</code>` : ''
    }</p>`,
  });
}

/**
 * Where "Try again" leads for a client: its registered post-logout address (the app's home), else the
 * origin of its first redirect URI. Only registered addresses, never one taken from the request.
 */
export function tryAgainUrlFor(
  client: { postLogoutRedirectUris?: readonly string[]; redirectUris?: readonly string[] } | undefined,
): string | undefined {
  const home = client?.postLogoutRedirectUris?.[0];
  if (home) return home;
  const redirect = client?.redirectUris?.[0];
  return redirect ? `${new URL(redirect).origin}/` : undefined;
}
