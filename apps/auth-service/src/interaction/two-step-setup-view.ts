import { escapeHtml, layout } from './html';

export interface TwoStepSetupView {
  uid: string;
  clientName?: string | undefined;
  /** The new secret, base32, as the manual key. */
  secret: string;
  /** The QR code of its `otpauth://` URI, an SVG document. */
  qrSvg: string;
  error?: string | undefined;
}

/** The key in groups of four, as authenticator apps show it. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * An admin without TOTP signing in to the admin app: set it up now (QR code or manual key, then the
 * first code). The QR code is an image (a data URL: the page's CSP allows no inline styles or scripts).
 */
export function renderTwoStepSetupPage({ uid, clientName, secret, qrSvg, error }: TwoStepSetupView) {
  const qr = `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString('base64')}`;
  return layout({
    title: 'Set up two-step verification',
    body: `<h1>Set up two-step verification</h1>
<p class="lead">${clientName ? `${escapeHtml(clientName)} requires` : 'This app requires'} a code from an authenticator app for accounts with the admin role.</p>
${error ? `<div class="alert" role="alert" id="setup-error">${escapeHtml(error)}</div>` : ''}
<p>Scan this QR code with your authenticator app, or type the key.</p>
<img class="qr" src="${qr}" alt="QR code for your authenticator app" width="200" height="200">
<p class="hint">Key: <code data-testid="manual-key">${escapeHtml(grouped(secret))}</code></p>
<form method="post" action="/interaction/${escapeHtml(uid)}/two-step-setup" novalidate>
  <label for="code">Code from your app
    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*"
      required maxlength="64" ${error ? 'aria-describedby="setup-error"' : ''} autofocus>
  </label>
  <button type="submit">Turn on and continue</button>
</form>`,
  });
}

/** The recovery codes, shown once, and the way on to the app. */
export function renderRecoveryCodesPage({ codes, continueUrl }: { codes: string[]; continueUrl: string }) {
  return layout({
    title: 'Save your recovery codes',
    body: `<h1>Save your recovery codes</h1>
<p class="lead">Two-step verification is on. Each of these codes signs you in once if you lose your authenticator app. They are not shown again.</p>
<ul aria-label="Recovery codes" class="codes">
${codes.map((code) => `  <li><code>${escapeHtml(code)}</code></li>`).join('\n')}
</ul>
<p><a class="button" href="${escapeHtml(continueUrl)}">I have saved these codes</a></p>`,
  });
}
