import { expect, test } from '@playwright/test';
import { expectSignInPage, fillSignIn, signInAt, uniqueEmail } from '../fixtures/sign-in';
import { withStepUp } from '../fixtures/step-up';
import { DEMO, URLS } from '../fixtures/system';

test('an admin creates a user, changes their roles, forces logout and disables them', async ({ browser }) => {
  // On a slow machine the admin's sign-in can outlive the e2e step-up window (30 s): each destructive
  // action may then sign in again first (withStepUp).
  test.setTimeout(180_000);
  const adminContext = await browser.newContext();
  const userContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const user = await userContext.newPage();
  const email = uniqueEmail('e2e');
  const password = 'e2e-password-123';

  await test.step('the admin creates the user', async () => {
    await signInAt(admin, `${URLS.adminWeb}/users`, DEMO.admin);
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Name').fill('E2E Person');
    await admin.getByLabel('Password').fill(password);
    await admin.getByRole('button', { name: 'Create user' }).click();
    await expect(admin.getByRole('link', { name: email })).toBeVisible();
  });

  await test.step('the new user signs in in another browser', async () => {
    await signInAt(user, `${URLS.userWeb}/profile`, { email, password });
    await expect(user.getByLabel('Display name')).toHaveValue('E2E Person');
  });

  await test.step("a role change shows in the user's next request", async () => {
    await admin.getByRole('link', { name: email }).click();
    await withStepUp(
      admin,
      async () => {
        await admin.getByRole('checkbox', { name: 'admin' }).check();
        await admin.getByRole('button', { name: 'Save roles' }).click();
      },
      admin.getByText(/roles (saved|updated)/i),
    );
    const session = await (await user.request.get(`${URLS.userWeb}/api/auth/session`)).json();
    expect(session.user.roles).toEqual(expect.arrayContaining(['user', 'admin']));
  });

  await test.step("force logout sends the user's open page to sign-in within 2 s, without a reload", async () => {
    await expect(user.getByLabel('Display name')).toBeVisible();
    let clicked = 0;
    // When the user's page leaves for the provider's sign-in (the admin's page may still be busy).
    let leftAt = 0;
    user.on('framenavigated', (frame) => {
      if (frame === user.mainFrame() && frame.url().startsWith(URLS.auth)) leftAt ||= Date.now();
    });
    await withStepUp(
      admin,
      async () => {
        await admin.getByRole('button', { name: 'Force logout' }).click();
        const dialog = admin.getByRole('dialog');
        await expect(dialog).toBeVisible();
        clicked = Date.now();
        await dialog.getByRole('button', { name: 'Force logout' }).click();
      },
      admin.getByText(new RegExp(`${email} was signed out`)),
    );
    await expect(user.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 2_000 });
    expect(leftAt).toBeGreaterThanOrEqual(clicked);
    expect(leftAt - clicked).toBeLessThan(2_000 + 500);
    await expectSignInPage(user);
  });

  await test.step('once disabled, the user cannot sign in', async () => {
    await withStepUp(
      admin,
      () => admin.getByRole('button', { name: 'Disable' }).click(),
      admin.getByText(`${email} is disabled`),
    );
    await expect(admin.getByText('Disabled').first()).toBeVisible();
    await fillSignIn(user, { email, password });
    // The same words as a wrong password: the sign-in page never confirms that the password was right.
    await expect(user.getByText('Incorrect email or password.')).toBeVisible();
  });

  await test.step('the audit log lists what the admin did', async () => {
    await admin.goto(`${URLS.adminWeb}/audit`);
    await expect(admin.getByRole('table')).toContainText('disable');
  });

  await adminContext.close();
  await userContext.close();
});
