import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fillSignIn, signInAt, uniqueEmail } from '../fixtures/sign-in';
import { DEMO, OUTBOX_DIR, URLS } from '../fixtures/system';
import { createUser } from '../fixtures/users';

const SECURITY = `${URLS.userWeb}/security`;

/** The reset link of the newest message in the auth service's outbox addressed to `email`, if any. */
async function resetLinkFor(email: string): Promise<string | undefined> {
  const names = (await readdir(OUTBOX_DIR).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort();
  const messages = await Promise.all(
    names.map(
      async (name) =>
        JSON.parse(await readFile(join(OUTBOX_DIR, name), 'utf8')) as { to: string; text: string },
    ),
  );
  const text = messages.filter((m) => m.to === email).at(-1)?.text;
  return text ? /https?:\/\/\S+\/password-reset\/new\?token=\S+/.exec(text)?.[0] : undefined;
}

test('Forgot password: the link from the outbox sets a new password once; the old one is refused', async ({
  page,
}) => {
  const email = uniqueEmail('reset');
  const oldPassword = 'old-reset-passphrase-1';
  const newPassword = 'new-reset-passphrase-2';
  await createUser({ email, password: oldPassword, name: 'Reset Person' });
  let link = '';

  await test.step('Forgot password? on the sign-in page asks for the email and answers the same for everyone', async () => {
    await page.goto(SECURITY);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    await expect(page.getByText('If an account exists for that email, we sent it a link')).toBeVisible();
  });

  await test.step('the link arrives in the outbox', async () => {
    await expect.poll(() => resetLinkFor(email), { timeout: 10_000 }).toBeTruthy();
    link = (await resetLinkFor(email))!;
    expect(new URL(link).origin).toBe(URLS.auth);
  });

  await test.step('the link page sets the new password, with the shared rule explained', async () => {
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the new password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page.getByRole('alert')).toContainText('Use at least');
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect(page.getByRole('heading', { name: 'Password changed' })).toBeVisible();
  });

  await test.step('the old password is refused, the new one signs in', async () => {
    await page.goto(SECURITY);
    await fillSignIn(page, { email, password: oldPassword });
    await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
    await fillSignIn(page, { email, password: newPassword });
    await page.waitForURL(SECURITY);
    await expect(page.getByRole('heading', { name: 'Security' })).toBeVisible();
  });

  await test.step('the link does not work a second time, and offers to ask again', async () => {
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'This link does not work any more' })).toBeVisible();
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  });
});

test('admin-web: Send password reset mails a working link; Require password change is asked at the next sign-in', async ({
  browser,
}) => {
  const email = uniqueEmail('admin-reset');
  const oldPassword = 'old-admin-reset-pass-1';
  const newPassword = 'new-admin-reset-pass-2';
  const id = await createUser({ email, password: oldPassword, name: 'Admin Reset' });
  const admin = await (await browser.newContext()).newPage();
  const user = await (await browser.newContext()).newPage();

  await test.step('the admin sends the reset from the user page', async () => {
    await signInAt(admin, `${URLS.adminWeb}/users/${id}`, DEMO.admin);
    await admin.getByRole('button', { name: 'Send password reset' }).click();
    await expect(admin.getByText(`A password reset link was sent to ${email}`)).toBeVisible();
  });

  await test.step('the user sets a new password with the link and signs in with it', async () => {
    await expect.poll(() => resetLinkFor(email), { timeout: 10_000 }).toBeTruthy();
    await user.goto((await resetLinkFor(email))!);
    await user.getByLabel('New password', { exact: true }).fill(newPassword);
    await user.getByLabel('Repeat the new password').fill(newPassword);
    await user.getByRole('button', { name: 'Set new password' }).click();
    await expect(user.getByRole('heading', { name: 'Password changed' })).toBeVisible();
    await signInAt(user, SECURITY, { email, password: newPassword });
  });

  await test.step('Require password change: the next sign-in asks for a new password before continuing', async () => {
    const thirdPassword = 'third-admin-reset-pass-3';
    await admin.getByRole('button', { name: 'Require password change' }).click();
    await expect(admin.getByText(`${email} will choose a new password at their next sign-in`)).toBeVisible();
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(SECURITY);
    await fillSignIn(fresh, { email, password: newPassword });
    await expect(fresh.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await fresh.getByLabel('New password', { exact: true }).fill(thirdPassword);
    await fresh.getByLabel('Repeat the new password').fill(thirdPassword);
    await fresh.getByRole('button', { name: 'Change password and continue' }).click();
    await fresh.waitForURL(SECURITY);
    await expect(fresh.getByRole('heading', { name: 'Security' })).toBeVisible();
  });
});
