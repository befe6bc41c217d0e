import { PASSWORD_RULE_HINT } from '@bff-auth/service-kit/passwords';
import { escapeHtml, layout } from './html';

export interface ChangePasswordView {
  uid: string;
  clientName?: string | undefined;
  error?: string | undefined;
}

/** After the password (and code), when an admin required a change: the new password, twice. */
export function renderChangePasswordPage({ uid, clientName, error }: ChangePasswordView) {
  const describedBy = error
    ? 'aria-describedby="change-error password-hint"'
    : 'aria-describedby="password-hint"';
  return layout({
    title: 'Choose a new password',
    body: `<h1>Choose a new password</h1>
<p class="lead">Your administrator asks you to change your password before you continue${clientName ? ` to ${escapeHtml(clientName)}` : ''}.</p>
${error ? `<div class="alert" role="alert" id="change-error">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/change-password" novalidate>
  <label for="password">New password
    <input id="password" name="password" type="password" autocomplete="new-password" required maxlength="1024" ${describedBy} autofocus>
  </label>
  <p class="hint" id="password-hint">${escapeHtml(PASSWORD_RULE_HINT)}</p>
  <label for="confirm">Repeat the new password
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="1024">
  </label>
  <button type="submit">Change password and continue</button>
</form>`,
  });
}
