import { expect, test } from '@playwright/test';
import { fillSignIn, signInAt } from '../fixtures/sign-in';
import { DEMO, URLS } from '../fixtures/system';

test('a non-admin is refused by admin-web with a 403 page and keeps no admin session', async ({ page }) => {
  await page.goto(`${URLS.adminWeb}/users`);
  await fillSignIn(page, DEMO.user);
  await expect(page.getByText(/need the admin role/i)).toBeVisible();
  const api = await page.request.get(`${URLS.adminWeb}/api/users`);
  expect([401, 403]).toContain(api.status());
  expect(JSON.stringify(await api.json())).not.toContain('admin@example.com');
});

test('single sign-on: an admin signed in to user-web opens admin-web without typing a password', async ({
  page,
}) => {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.admin);
  await page.goto(`${URLS.adminWeb}/users`);
  await page.waitForURL(`${URLS.adminWeb}/users`);
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'admin@example.com' })).toBeVisible();
});
