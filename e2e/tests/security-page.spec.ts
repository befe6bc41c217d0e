import { expect, type Page, test } from '@playwright/test';
import { expectSignInPage, fillSignIn, signInAt, uniqueEmail } from '../fixtures/sign-in';
import { URLS } from '../fixtures/system';
import { createUser } from '../fixtures/users';

const SECURITY = `${URLS.userWeb}/security`;
/** SPEC §12: the other sessions' open pages leave within 2 s of being ended. */
const LEAVES_WITHIN_MS = 2_000;

const sessionRows = (page: Page) =>
  page.getByRole('table', { name: 'Your active sessions' }).locator('tbody tr');

test('the Security page lists both browsers, ends the other one, and a password change ends it again', async ({
  browser,
}) => {
  const email = uniqueEmail('security');
  const oldPassword = 'first-passphrase-1';
  const newPassword = 'second-passphrase-2';
  await createUser({ email, password: oldPassword, name: 'Sec Person' });
  const firstContext = await browser.newContext();
  const secondContext = await browser.newContext();
  const first = await firstContext.newPage();
  const second = await secondContext.newPage();

  await test.step('two browsers sign in; the first sees both sessions, its own marked', async () => {
    await signInAt(first, SECURITY, { email, password: oldPassword });
    await signInAt(second, SECURITY, { email, password: oldPassword });
    await expect(second.getByRole('heading', { name: 'Security' })).toBeVisible();
    await first.reload();
    await expect(sessionRows(first)).toHaveCount(2);
    await expect(first.getByText('This session')).toHaveCount(1);
    await expect(sessionRows(first).filter({ hasText: 'This session' })).toContainText('Chrome');
    await expect(sessionRows(first).filter({ hasText: 'This session' })).toContainText('User app');
  });

  await test.step('the first ends the other session, whose open page leaves at once', async () => {
    const other = sessionRows(first).filter({ hasNotText: 'This session' });
    await other.getByRole('button', { name: /^Sign out / }).click();
    await first.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
    await expect(second).not.toHaveURL(SECURITY, { timeout: LEAVES_WITHIN_MS });
    await expect(sessionRows(first)).toHaveCount(1);
    await expect(first.getByRole('button', { name: 'Sign out everywhere else' })).toBeDisabled();
  });

  await test.step('the second browser signs in again', async () => {
    await second.goto(SECURITY);
    await fillSignIn(second, { email, password: oldPassword });
    await second.waitForURL(SECURITY);
    await first.reload();
    await expect(sessionRows(first)).toHaveCount(2);
  });

  await test.step('a weak new password is refused with the rule’s message', async () => {
    await first.getByLabel('Current password').fill(oldPassword);
    await first.getByLabel('New password', { exact: true }).fill('password123');
    await first.getByLabel('Repeat new password').fill('password123');
    await first.getByRole('button', { name: 'Change password' }).click();
    await expect(first.getByText('This is one of the most used passwords; choose another')).toBeVisible();
  });

  await test.step('changing the password ends the other session and keeps this one', async () => {
    await first.getByLabel('Current password').fill(oldPassword);
    await first.getByLabel('New password', { exact: true }).fill(newPassword);
    await first.getByLabel('Repeat new password').fill(newPassword);
    await first.getByRole('button', { name: 'Change password' }).click();
    await expect(second).not.toHaveURL(SECURITY, { timeout: LEAVES_WITHIN_MS });
    await expect(first.getByText('1 other session was signed out.')).toBeVisible();
    await expect(sessionRows(first)).toHaveCount(1);
    await first.reload();
    await expect(first.getByRole('heading', { name: 'Security' })).toBeVisible();
  });

  await test.step('the old password stops working, the new one works', async () => {
    await second.goto(SECURITY);
    await fillSignIn(second, { email, password: oldPassword });
    await expect(second.getByText('Incorrect email or password.')).toBeVisible();
    await expectSignInPage(second);
    await fillSignIn(second, { email, password: newPassword });
    await second.waitForURL(SECURITY);
    await expect(sessionRows(second)).toHaveCount(2);
  });

  await firstContext.close();
  await secondContext.close();
});
