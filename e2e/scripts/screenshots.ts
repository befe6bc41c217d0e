import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { fillSignIn, uniqueEmail } from '../fixtures/sign-in';
import { DEMO, isRunning, OUTBOX_DIR, startSystem, stopSystem, URLS } from '../fixtures/system';
import { createUser } from '../fixtures/users';
import { CHROMIUM_PATH } from '../playwright.config';

/**
 * `npm run screenshots -w e2e`: the README's pictures, taken in Chromium from the e2e system
 * (started here unless one is running). Writes docs/screenshots/*.png at 1280×800 (the Security page
 * full length).
 */
/** The reset link of the newest outbox message to `email`. */
async function resetLinkFor(email: string) {
  const names = (await readdir(OUTBOX_DIR).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.json'))
    .sort();
  const messages = await Promise.all(
    names.map(
      async (n) => JSON.parse(await readFile(join(OUTBOX_DIR, n), 'utf8')) as { to: string; text: string },
    ),
  );
  const text = messages.filter((m) => m.to === email).at(-1)?.text ?? '';
  return /https?:\/\/\S+\/password-reset\/new\?token=\S+/.exec(text)?.[0];
}

const out = new URL('../../docs/screenshots/', import.meta.url).pathname;
const started = !(await isRunning());
if (started) await startSystem();
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${URLS.userWeb}/profile`);
  await page.getByLabel('Email').fill(DEMO.user.email);
  await page.screenshot({ path: `${out}sign-in.png` });
  await page.getByLabel('Email').fill('');
  await fillSignIn(page, DEMO.user);
  await page.waitForURL(`${URLS.userWeb}/profile`);
  await page.getByLabel('Display name').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}user-profile.png` });

  // The Security page with a second browser signed in, so both sessions show.
  const elsewhere = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await elsewhere.newPage();
  await other.goto(`${URLS.userWeb}/security`);
  await fillSignIn(other, DEMO.user);
  await other.waitForURL(`${URLS.userWeb}/security`);
  await page.goto(`${URLS.userWeb}/security`);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}security.png`, fullPage: true });
  await elsewhere.close();

  // Two-step verification: set-up (QR code and manual key) and the code page of the next sign-in, for a
  // fresh account so the demo user stays without it.
  const twoStep = { email: uniqueEmail('two-step'), password: 'two-step-passphrase-1' };
  await createUser({ ...twoStep, name: 'Two Step' });
  const enrol = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await enrol.goto(`${URLS.userWeb}/security`);
  await fillSignIn(enrol, twoStep);
  await enrol.waitForURL(`${URLS.userWeb}/security`);
  await enrol.getByRole('button', { name: 'Set up two-step verification' }).click();
  const key = ((await enrol.getByTestId('manual-key').textContent()) ?? '').replace(/\s/g, '');
  await enrol.getByRole('img', { name: 'QR code for your authenticator app' }).scrollIntoViewIfNeeded();
  await enrol.waitForTimeout(300);
  await enrol.screenshot({ path: `${out}two-step-setup.png`, fullPage: true });
  await enrol.getByLabel('Code from your app').fill(new TOTP({ secret: Secret.fromBase32(key) }).generate());
  await enrol.getByRole('button', { name: 'Turn on' }).click();
  await enrol.getByRole('list', { name: 'Recovery codes' }).waitFor();
  await enrol.getByRole('button', { name: 'Sign out', exact: true }).click();
  await enrol.waitForURL(`${URLS.userWeb}/`);
  await enrol.goto(`${URLS.userWeb}/security`);
  await fillSignIn(enrol, twoStep);
  await enrol.getByLabel('Authentication code').waitFor();
  await enrol.screenshot({ path: `${out}two-step-sign-in.png` });

  // Password reset: "Forgot password?" and the page of the emailed link (from the outbox).
  const reset = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const resetUser = { email: uniqueEmail('reset'), password: 'reset-passphrase-1' };
  await createUser({ ...resetUser, name: 'Reset Person' });
  await reset.goto(`${URLS.auth}/password-reset`);
  await reset.getByLabel('Email').fill(resetUser.email);
  await reset.screenshot({ path: `${out}password-reset-request.png` });
  await reset.getByRole('button', { name: 'Send reset link' }).click();
  await reset.getByRole('heading', { name: 'Check your email' }).waitFor();
  let link: string | undefined;
  for (let i = 0; i < 50 && !link; i++) {
    await reset.waitForTimeout(200);
    link = await resetLinkFor(resetUser.email);
  }
  if (!link) throw new Error('no reset link in the outbox');
  await reset.goto(link);
  await reset.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await reset.screenshot({ path: `${out}password-reset-new.png` });

  const admin = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await admin.goto(`${URLS.adminWeb}/users`);
  await fillSignIn(admin, DEMO.admin);
  await admin.waitForURL(`${URLS.adminWeb}/users`);
  await admin.getByRole('table').waitFor();
  await admin.waitForTimeout(300);
  await admin.screenshot({ path: `${out}admin-users.png` });
  await admin.getByRole('link', { name: DEMO.user.email }).click();
  await admin.getByRole('button', { name: 'Force logout' }).waitFor();
  await admin.waitForTimeout(300);
  await admin.screenshot({ path: `${out}admin-user-detail.png` });

  // An admin without TOTP signing in to admin-web: the set-up page after the password.
  const newAdmin = { email: uniqueEmail('new-admin'), password: 'new-admin-passphrase-1' };
  await createUser({ ...newAdmin, name: 'New Admin', roles: ['user', 'admin'] });
  const setup = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await setup.goto(`${URLS.adminWeb}/users`);
  await fillSignIn(setup, newAdmin);
  await setup.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  await setup.screenshot({ path: `${out}admin-two-step-setup.png` });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  if (started) await stopSystem();
}
