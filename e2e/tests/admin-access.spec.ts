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
  const visited: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(frame.url());
  });
  await page.goto(`${URLS.adminWeb}/users`);
  await page.waitForURL(`${URLS.adminWeb}/users`);
  await expect(page.getByRole('link', { name: 'admin@example.com' })).toBeVisible();
  // It went through the provider (authorize → callback) but never stopped at its sign-in form.
  expect(visited.some((url) => url.startsWith(`${URLS.auth}/interaction/`))).toBe(false);
});
