import { PASSWORD_RULE_HINT } from '@bff-auth/service-kit/passwords';
import { escapeHtml, layout } from '../interaction/html';

const alert = (error: string | undefined, id: string) =>
  error ? `<div class="alert" role="alert" id="${id}">${escapeHtml(error)}</div>` : '';

/** "Forgot password?": the email to send a link to. */
export function renderResetRequestPage({
  email,
  error,
}: {
  email?: string;
  error?: string | undefined;
} = {}) {
  return layout({
    title: 'Reset your password',
    body: `<h1>Reset your password</h1>
<p class="lead">Enter the email of your account and we will send you a link to choose a new password.</p>
${alert(error, 'reset-error')}
<form method="post" action="/password-reset" novalidate>
  <label for="email">Email
    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254"
      value="${escapeHtml(email)}" ${error ? 'aria-describedby="reset-error"' : ''} autofocus>
  </label>
  <button type="submit">Send reset link</button>
</form>`,
  });
}

/** The one answer to every accepted request, whether or not the email has an account. */
export const renderResetSentPage = () =>
  layout({
    title: 'Check your email',
    body: `<h1>Check your email</h1>
<p class="lead" role="status">If an account exists for that email, we sent it a link to reset the password. The link works once, for 30 minutes.</p>
<p class="hint"><a href="/password-reset">Ask for another link</a></p>`,
  });

/** The link's page: the new password, twice. */
export function renderNewPasswordPage({ token, error }: { token: string; error?: string | undefined }) {
  const describedBy = error
    ? 'aria-describedby="reset-error password-hint"'
    : 'aria-describedby="password-hint"';
  return layout({
    title: 'Choose a new password',
    body: `<h1>Choose a new password</h1>
<p class="lead">Setting it signs you out everywhere.</p>
${alert(error, 'reset-error')}
<form method="post" action="/password-reset/new" novalidate>
  <input type="hidden" name="token" value="${escapeHtml(token)}">
  <label for="password">New password
    <input id="password" name="password" type="password" autocomplete="new-password" required maxlength="1024" ${describedBy} autofocus>
  </label>
  <p class="hint" id="password-hint">${escapeHtml(PASSWORD_RULE_HINT)}</p>
  <label for="confirm">Repeat the new password
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="1024">
  </label>
  <button type="submit">Set new password</button>
</form>`,
  });
}

/** A used, expired or unknown link: one clear page, with a way to ask again. */
export const renderInvalidLinkPage = () =>
  layout({
    title: 'Link not valid',
    body: `<h1>This link does not work any more</h1>
<p class="lead" role="alert">Password reset links work once, for 30 minutes. This one has been used, has expired or is not complete.</p>
<a class="button" href="/password-reset">Ask for a new link</a>`,
  });

export const renderPasswordChangedPage = (continueUrl: string) =>
  layout({
    title: 'Password changed',
    body: `<h1>Password changed</h1>
<p class="lead" role="status">Your new password is set and every session of your account has been signed out.</p>
<a class="button" href="${escapeHtml(continueUrl)}">Continue to sign in</a>`,
  });
