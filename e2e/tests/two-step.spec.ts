import { expect, type Page, test } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { fillSignIn, uniqueEmail } from '../fixtures/sign-in';
import { URLS } from '../fixtures/system';
import { createUser } from '../fixtures/users';

const SECURITY = `${URLS.userWeb}/security`;
const STEP_MS = 30_000;

/** The code an authenticator app holding `manualKey` shows at `timestamp`, as the test computes it. */
const codeAt = (manualKey: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(manualKey) }).generate({ timestamp });

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(`${URLS.userWeb}/`);
}

/** Password, then the code page with `code`; back on the Security page. */
async function signInWithCode(page: Page, email: string, password: string, code: string, recovery = false) {
  await page.goto(SECURITY);
  await fillSignIn(page, { email, password });
  await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  if (recovery) {
    await page.getByRole('link', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(code);
  } else {
    await page.getByLabel('Authentication code').fill(code);
  }
  await page.getByRole('button', { name: 'Verify' }).click();
}

test('two-step verification: enrol on the Security page, sign in with password and code, a recovery code works once', async ({
  page,
}) => {
  const email = uniqueEmail('two-step');
  const password = 'two-step-passphrase-1';
  await createUser({ email, password, name: 'Two Step' });
  let manualKey = '';
  let recoveryCodes: string[] = [];
  let confirmedAt = 0;

  await test.step('enrol from the Security page with the shown key and a computed code', async () => {
    await page.goto(SECURITY);
    await fillSignIn(page, { email, password });
    await page.waitForURL(SECURITY);
    await page.getByRole('button', { name: 'Set up two-step verification' }).click();
    await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
    manualKey = ((await page.getByTestId('manual-key').textContent()) ?? '').replace(/\s/g, '');
    expect(manualKey).toMatch(/^[A-Z2-7]{32}$/);
    await page
      .getByLabel('Code from your app')
      .fill('000000' === codeAt(manualKey, Date.now()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect(page.getByText('That code is not valid. Try the next one.')).toBeVisible();
    confirmedAt = Date.now();
    await page.getByLabel('Code from your app').fill(codeAt(manualKey, confirmedAt));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const list = page.getByRole('list', { name: 'Recovery codes' });
    await expect(list.getByRole('listitem')).toHaveCount(10);
    recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((c) => c.trim());
    await page.getByRole('button', { name: 'I have saved these codes' }).click();
    await expect(page.getByText('10 recovery codes left.')).toBeVisible();
  });

  await test.step('sign out; signing in asks for the code after the password', async () => {
    await signOut(page);
    // The next step's code: the one used to turn it on is refused a second time.
    await signInWithCode(page, email, password, codeAt(manualKey, confirmedAt));
    await expect(page.getByRole('alert')).toContainText('That code is not valid');
    await page.getByLabel('Authentication code').fill(codeAt(manualKey, confirmedAt + STEP_MS));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(SECURITY);
    await expect(page.getByRole('heading', { name: 'Security' })).toBeVisible();
  });

  await test.step('a recovery code signs in once', async () => {
    await signOut(page);
    await signInWithCode(page, email, password, recoveryCodes[0]!, true);
    await page.waitForURL(SECURITY);
    await expect(page.getByText('9 recovery codes left.')).toBeVisible();
    await signOut(page);
    await signInWithCode(page, email, password, recoveryCodes[0]!, true);
    await expect(page.getByRole('alert')).toContainText('That code is not valid');
    await expect(page).not.toHaveURL(SECURITY);
  });
});
