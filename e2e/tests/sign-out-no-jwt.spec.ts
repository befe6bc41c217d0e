import { expect, test } from '@playwright/test';
import { expectSignInPage, signInAt } from '../fixtures/sign-in';
import { DEMO, URLS } from '../fixtures/system';

/** Anything JWT- or JWE-shaped: a base64url JSON header (`eyJ…`) followed by two more dot-separated parts. */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/;

test('sign-out sends no JWT to the browser (bodies, headers, URLs) and still ends single sign-on', async ({
  page,
}) => {
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();

  // From the click on: every request URL, every response's headers and body, every page the tab shows.
  const seen: { what: string; text: string }[] = [];
  page.on('request', (request) => seen.push({ what: `request ${request.url()}`, text: request.url() }));
  page.on('framenavigated', (frame) => seen.push({ what: `navigation ${frame.url()}`, text: frame.url() }));
  page.on('response', async (response) => {
    const headers = (await response.headersArray()).map((h) => `${h.name}: ${h.value}`).join('\n');
    let body = '';
    try {
      body = (await response.body()).toString('utf8');
    } catch {
      // Redirects have no body to read.
    }
    seen.push({ what: `response ${response.url()}`, text: `${headers}\n${body}` });
  });

  await page.getByRole('button', { name: 'Sign out' }).click();
  // The app's own "Sign out" needs no second click at the provider: straight back to the app.
  await page.waitForURL(`${URLS.userWeb}/`);
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();

  const endSession = seen.find((s) => s.what.startsWith(`request ${URLS.auth}/session/end?`));
  expect(endSession, 'the browser went through the provider’s end-session').toBeDefined();
  const url = new URL(endSession!.text);
  expect(url.searchParams.get('id_token_hint')).toBeNull();
  expect(url.searchParams.get('client_id')).toBe('user-web');
  expect(url.searchParams.get('logout_hint')).toMatch(/^[\w-]{20,}$/);
  expect(seen.some((s) => s.what.startsWith(`response ${URLS.userWeb}/api/auth/logout`))).toBe(true);
  for (const { what, text } of seen) expect(text, what).not.toMatch(JWT_SHAPED);
  const history = await page.evaluate(() => `${location.href} ${document.referrer}`);
  expect(history).not.toMatch(JWT_SHAPED);

  // The single sign-on session ended too: a private page asks for the password again.
  await page.goto(`${URLS.userWeb}/profile`);
  await expectSignInPage(page);
});
