import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import { DEMO, URLS } from '../fixtures/system';

/**
 * SPEC §4.4: a foreign site that sends the browser to the provider's end-session endpoint (a link, a
 * redirect, a hidden iframe) must not end the user's single sign-on session without their click.
 */
let foreign: Server;
let foreignUrl: string;

test.beforeAll(async () => {
  const endSession = `${URLS.auth}/session/end?client_id=user-web&post_logout_redirect_uri=${encodeURIComponent(`${URLS.userWeb}/`)}`;
  const pages: Record<string, string> = {
    '/iframe': `<!doctype html><title>cats</title><h1>Cute cats</h1><iframe id="f" src="${endSession}"></iframe>`,
    '/redirect': `<!doctype html><title>cats</title><script>location.href = ${JSON.stringify(endSession)};</script>`,
  };
  foreign = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(pages[req.url ?? ''] ?? 'not here');
  });
  // 127.0.0.1 against the system's localhost: another site altogether.
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => foreign.close(resolve));
});

async function signedIn(page: import('@playwright/test').Page) {
  const info = await (await page.request.get(`${URLS.userWeb}/api/auth/session`)).json();
  return info.authenticated as boolean;
}

test('a foreign page that sends the browser to end-session leaves the user signed in', async ({ page }) => {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);

  // A hidden iframe: the provider refuses to be framed.
  const framed = page.waitForResponse((r) => r.url().startsWith(`${URLS.auth}/session/end`));
  await page.goto(`${foreignUrl}/iframe`);
  const response = await framed;
  expect(response.headers()['x-frame-options']).toBe('DENY');
  expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await page.waitForLoadState('networkidle');

  // A top-level redirect: the provider asks, and nothing happens without the click.
  await page.goto(`${foreignUrl}/redirect`);
  await page.waitForURL(`${URLS.auth}/session/end?**`);
  await expect(page.getByRole('heading', { name: 'Sign out?' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  expect(await signedIn(page)).toBe(true);
  await page.goto(`${URLS.userWeb}/profile`);
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();

  // Single sign-on survived as well: without the app's cookie, signing in again needs no password.
  await page.context().clearCookies({ name: '__Host-user-session' });
  await page.goto(`${URLS.userWeb}/profile`);
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
});

test('the user can still sign out from the confirmation page with a click', async ({ page }) => {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  await page.goto(`${foreignUrl}/redirect`);
  await expect(page.getByRole('heading', { name: 'Sign out?' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${URLS.userWeb}/`);
  // Back-channel logout reached the app: its session is gone too.
  await expect.poll(() => signedIn(page), { timeout: 10_000 }).toBe(false);
});
