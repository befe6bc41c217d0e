import { escapeHtml, layout } from './html';

export interface LoginView {
  uid: string;
  clientName?: string | undefined;
  email?: string | undefined;
  error?: string | undefined;
}

export function renderLoginPage({ uid, clientName, email, error }: LoginView) {
  return layout({
    title: 'Sign in',
    body: `<h1>Sign in</h1>
<p class="lead">${clientName ? `to continue to ${escapeHtml(clientName)}` : 'to continue'}</p>
${error ? `<div class="alert" role="alert" id="login-error">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" novalidate>
  <label for="email">Email
    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254"
      value="${escapeHtml(email)}" ${error ? 'aria-describedby="login-error"' : ''} autofocus>
  </label>
  <label for="password">Password
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
  </label>
  <button type="submit">Sign in</button>
</form>
<p class="hint"><a href="/password-reset">Forgot password?</a></p>`,
  });
}

export interface TwoStepView {
  uid: string;
  clientName?: string | undefined;
  /** Ask for one of the recovery codes instead of the app's code. */
  recovery?: boolean;
  error?: string | undefined;
}

/** The second step of a sign-in: the authenticator app's code, or a recovery code. */
export function renderTwoStepPage({ uid, clientName, recovery = false, error }: TwoStepView) {
  const action = `/interaction/${escapeHtml(uid)}/two-step`;
  const describedBy = error
    ? 'aria-describedby="two-step-error two-step-hint"'
    : 'aria-describedby="two-step-hint"';
  const field = recovery
    ? `<label for="code">Recovery code
    <input id="code" name="code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false"
      required maxlength="64" ${describedBy} autofocus>
  </label>
  <p class="hint" id="two-step-hint">One of the codes you saved when you turned on two-step verification. Each works once.</p>`
    : `<label for="code">Authentication code
    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*"
      required maxlength="64" ${describedBy} autofocus>
  </label>
  <p class="hint" id="two-step-hint">The 6-digit code your authenticator app shows now.</p>`;
  return layout({
    title: 'Two-step verification',
    body: `<h1>Two-step verification</h1>
<p class="lead">${clientName ? `to continue to ${escapeHtml(clientName)}` : 'to continue'}</p>
${error ? `<div class="alert" role="alert" id="two-step-error">${escapeHtml(error)}</div>` : ''}
<form method="post" action="${action}" novalidate>
  ${recovery ? '<input type="hidden" name="method" value="recovery">' : ''}
  ${field}
  <button type="submit">Verify</button>
</form>
<p class="hint">${
      recovery
        ? `<a href="${action}">Use your authenticator app instead</a>`
        : `<a href="${action}?method=recovery">Use a recovery code</a>`
    }</p>`,
  });
}

export function renderMessagePage(title: string, message: string) {
  return layout({
    title,
    body: `<h1>${escapeHtml(title)}</h1><p class="lead" role="alert">${escapeHtml(message)}</p>`,
  });
}

export const renderTooManyAttemptsPage = (retryAfterSeconds: number) =>
  renderMessagePage(
    'Too many attempts',
    `Too many sign-in attempts. Wait ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'} and try again.`,
  );

/**
 * RP-initiated logout that our app started (a valid single-use logout hint naming this browser's
 * session): oidc-provider's `form` (with its CSRF field) is submitted at once, so the app's "Sign out"
 * ends the single sign-on session without a second click. A button stays for browsers without script.
 */
export function renderSigningOutPage(form: string, clientName: string | undefined, nonce: string) {
  return layout({
    title: 'Signing out',
    body: `<h1>Signing out</h1>
<p class="lead">${clientName ? `You are signing out of ${escapeHtml(clientName)}.` : 'You are signing out.'}</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<script nonce="${nonce}">
  var f = document.getElementById('op.logoutForm');
  var i = document.createElement('input'); i.type = 'hidden'; i.name = 'logout'; i.value = 'yes';
  f.appendChild(i); f.submit();
</script>`,
  });
}

/**
 * RP-initiated logout without proof that our app started it (no hint, a used or foreign one): a bare
 * visit, perhaps from another site, must not end the session, so the user decides with a click.
 * `stayUrl` is the app's validated post-logout address, when there is one.
 */
export function renderLogoutConfirmPage(form: string, clientName: string | undefined, stayUrl?: string) {
  return layout({
    title: 'Sign out?',
    body: `<h1>Sign out?</h1>
<p class="lead">Do you want to sign out${clientName ? ` of ${escapeHtml(clientName)} and` : ''} of every app that uses this sign-in?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
${stayUrl ? `<p class="hint"><a href="${escapeHtml(stayUrl)}">Stay signed in</a></p>` : ''}`,
  });
}

export const renderLoggedOutPage = () => renderMessagePage('Signed out', 'You have been signed out.');
