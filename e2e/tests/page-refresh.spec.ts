import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import { ACCESS_TOKEN_TTL, DEMO, REFRESH_SKEW, URLS } from '../fixtures/system';

/**
 * SPEC §4.3: a render refreshes only where the cookie can be written (proxy.ts, for every page, RSC
 * and prefetch request). A refresh whose rotated refresh token is thrown away comes back later: the
 * browser presents the old token once the parked token set (60 s) is gone, reuse detection revokes
 * the grant and the user is signed out. So: render inside the refresh window, come back after that.
 */
const COOKIE = '__Host-user-session';
const PARKED_SECONDS = 60;

const sessionCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === COOKIE)?.value;

/** Waits until the access token expiring at `expiresAt` (ms) is inside the refresh window. */
async function enterRefreshWindow(expiresAt: number) {
  const wait = expiresAt - REFRESH_SKEW * 1000 + 500 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  expect(Date.now()).toBeLessThan(expiresAt - 500);
}

/** Signs in with JavaScript on; returns when the fresh access token expires (ms). */
async function signIn(page: Page): Promise<number> {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  // Just issued, so well before the window: this lookup does not refresh.
  const session = await (await page.request.get(`${URLS.userWeb}/api/auth/session`)).json();
  const expiresAt = Date.parse(session.expiresAt);
  expect(expiresAt - Date.now()).toBeGreaterThan(REFRESH_SKEW * 1000);
  expect(expiresAt - Date.now()).toBeLessThanOrEqual(ACCESS_TOKEN_TTL * 1000);
  return expiresAt;
}

test('renders and RSC requests inside the refresh window keep the session alive, with and without JavaScript', async ({
  browser,
}) => {
  test.setTimeout(150_000);

  // Without JavaScript: a plain document load of / (the page outside the old guard's paths).
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  const issuedA = await signIn(setupPage);
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  await noJs.addCookies(await setup.cookies());
  await setup.close();
  await enterRefreshWindow(issuedA);
  const before = await sessionCookie(noJs);
  const plain = await noJs.newPage();
  const home = await plain.goto(`${URLS.userWeb}/`);
  expect(home?.status()).toBe(200);
  expect((await home!.allHeaders())['set-cookie'] ?? '').toContain(`${COOKIE}=`);
  const afterRender = await sessionCookie(noJs);
  expect(afterRender).toBeTruthy();
  expect(afterRender).not.toBe(before);
  await expect(plain.getByRole('heading', { name: /Welcome back/ })).toBeVisible();

  // With JavaScript: an RSC (prefetch) request for /, as a client navigation makes it.
  const js = await browser.newContext();
  const page = await js.newPage();
  const issuedB = await signIn(page);
  // Nothing of the page may refresh on its own meanwhile (its calls go through route handlers).
  await page.goto('about:blank');
  await enterRefreshWindow(issuedB);
  const beforeRsc = await sessionCookie(js);
  // Sent as the router sends it (`RSC: 1`, a prefetch), with the context's cookie; what comes back is
  // stored in the context as the browser would.
  const rsc = await fetch(`${URLS.userWeb}/`, {
    headers: { RSC: '1', 'Next-Router-Prefetch': '1', cookie: `${COOKIE}=${beforeRsc}` },
  });
  expect(rsc.status).toBe(200);
  expect(rsc.headers.get('content-type')).toContain('text/x-component');
  const rotated = rsc.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith(`${COOKIE}=`));
  expect(rotated).toBeTruthy();
  const value = rotated!.slice(COOKIE.length + 1);
  expect(value).not.toBe(beforeRsc);
  const stored = (await js.cookies()).find((c) => c.name === COOKIE)!;
  await js.addCookies([{ ...stored, value }]);

  // Past the parked token set: a lost rotation would now surface as reuse → 401 session_expired.
  await new Promise((r) => setTimeout(r, (PARKED_SECONDS + 5) * 1000));
  for (const context of [noJs, js]) {
    const profile = await context.request.get(`${URLS.userWeb}/api/profile`);
    expect(profile.status()).toBe(200);
    const session = await (await context.request.get(`${URLS.userWeb}/api/auth/session`)).json();
    expect(session.authenticated).toBe(true);
  }
  await page.goto(`${URLS.userWeb}/profile`);
  await expect(page.getByLabel('Display name')).not.toHaveValue('');
  await noJs.close();
  await js.close();
});
