import { expect, test } from '@playwright/test';
import { fillSignIn, uniqueEmail } from '../fixtures/sign-in';
import { STEP_UP_MAX_AGE, URLS } from '../fixtures/system';
import { enterCode, markUsedNow, nextCode } from '../fixtures/two-step';
import { createUser } from '../fixtures/users';

test('an admin without TOTP sets it up at sign-in; disabling a user later asks for a fresh code, then completes', async ({
  page,
}) => {
  // One wait for the step-up window to pass (STEP_UP_MAX_AGE: 30 s here, 10 minutes in production).
  test.setTimeout(90_000 + STEP_UP_MAX_AGE * 1000);
  const email = uniqueEmail('new-admin');
  const password = 'new-admin-passphrase-1';
  await createUser({ email, password, name: 'New Admin', roles: ['user', 'admin'] });
  const targetEmail = uniqueEmail('step-up-target');
  const target = await createUser({ email: targetEmail, password: 'target-passphrase-1', name: 'Target' });
  const userPage = `${URLS.adminWeb}/users/${target}`;
  let key = '';
  let signedInAt = 0;

  await test.step('after the password, the admin app is reached only through setting up TOTP', async () => {
    await page.goto(userPage);
    await fillSignIn(page, { email, password });
    await expect(page.getByRole('heading', { name: 'Set up two-step verification' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
    key = ((await page.getByTestId('manual-key').textContent()) ?? '').replace(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    // No admin-web session yet: the app still sends this browser to sign in.
    const session = await page.request.get(`${URLS.adminWeb}/api/auth/session`);
    expect(await session.json()).toMatchObject({ authenticated: false });

    await page.getByLabel('Code from your app').fill(await nextCode(key));
    await page.getByRole('button', { name: 'Turn on and continue' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' });
    await expect(codes.getByRole('listitem')).toHaveCount(10);
    await page.getByRole('link', { name: 'I have saved these codes' }).click();
    await page.waitForURL(userPage);
    signedInAt = Date.now();
    markUsedNow(key);
    await expect(page.getByRole('button', { name: 'Disable' })).toBeVisible();
  });

  await test.step('once the sign-in is older than the step-up window, Disable asks for the code again', async () => {
    await page.waitForTimeout(Math.max(0, signedInAt + (STEP_UP_MAX_AGE + 2) * 1000 - Date.now()));
    await page.getByRole('button', { name: 'Disable' }).click();
    // admin-api answered 403 step_up_required; admin-web started a sign-in with max_age and acr_values.
    await fillSignIn(page, { email, password });
    await enterCode(page, key);
    await page.waitForURL(userPage);
    // Back on the page: nothing was changed behind the admin's back; the admin clicks again.
    await expect(page.getByRole('button', { name: 'Disable' })).toBeVisible();
    await expect(page.getByText(`${targetEmail} is disabled`)).toHaveCount(0);
    await page.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByText(`${targetEmail} is disabled`)).toBeVisible();
  });

  await test.step('the audit log shows the refusal (403 step_up_required) and the change', async () => {
    await page.goto(`${URLS.adminWeb}/audit`);
    const disables = page.getByRole('row').filter({ hasText: 'users.disable' });
    await expect(disables.filter({ hasText: 'denied' }).first()).toBeVisible();
    await expect(
      disables.filter({ hasText: 'denied' }).first().getByTitle('403 step_up_required'),
    ).toBeVisible();
    await expect(disables.filter({ hasText: 'success' }).first()).toBeVisible();
  });
});
