import { expect, test } from '@playwright/test';
import { expectSignInPage, signInAt } from '../fixtures/sign-in';
import { DEMO, URLS } from '../fixtures/system';

test('signing out in user-web sends an open admin-web tab of the same browser to sign-in', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const userTab = await context.newPage();
  await signInAt(userTab, `${URLS.userWeb}/profile`, DEMO.admin);
  await expect(userTab.getByLabel('Display name')).not.toHaveValue('');

  // Single sign-on: the admin app opens without the password.
  const adminTab = await context.newPage();
  await adminTab.goto(`${URLS.adminWeb}/users`);
  await adminTab.waitForURL(`${URLS.adminWeb}/users`);
  await expect(adminTab.getByRole('link', { name: DEMO.admin.email })).toBeVisible();

  await userTab.bringToFront();
  await userTab.getByRole('button', { name: 'Sign out' }).click();
  await userTab.waitForURL(`${URLS.userWeb}/`);

  // The provider's back-channel logout reached admin-web, which pushed it to the open tab: it leaves
  // the private page for sign-in on its own (where that lands races the end-session at the provider).
  await expect(adminTab).not.toHaveURL(`${URLS.adminWeb}/users`);
  await expect(adminTab.getByRole('link', { name: DEMO.admin.email })).toHaveCount(0);
  await adminTab.goto(`${URLS.adminWeb}/users`);
  await expectSignInPage(adminTab);
  await context.close();
});

test('signing out in one tab sends the other tab of the app to sign-in through the BroadcastChannel', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await signInAt(first, `${URLS.userWeb}/profile`, DEMO.user);
  const second = await context.newPage();
  // No server-sent events for the second tab: only the first tab's broadcast can tell it.
  await second.route('**/api/auth/events', (route) => route.abort());
  await second.goto(`${URLS.userWeb}/profile`);
  await expect(second.getByLabel('Display name')).not.toHaveValue('');

  await first.bringToFront();
  await first.getByRole('button', { name: 'Sign out' }).click();
  await first.waitForURL(`${URLS.userWeb}/`);

  // It leaves the private page for sign-in on its own. (Where that lands depends on a race with the
  // first tab's end-session at the provider, so this checks the leaving, then the sign-in page.)
  await expect(second).not.toHaveURL(`${URLS.userWeb}/profile`);
  await expect(second.getByLabel('Display name')).toHaveCount(0);
  await second.goto(`${URLS.userWeb}/profile`);
  await expectSignInPage(second);
  await context.close();
});
