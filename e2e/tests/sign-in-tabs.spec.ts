import { createTransactionStore } from '@bff-auth/bff-core/oidc';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type Credentials, fillSignIn } from '../fixtures/sign-in';
import { DEMO, readState, URLS } from '../fixtures/system';

/**
 * Issue #14: one browser, several tabs sent to sign in at once (a session that expired while they were
 * open). Every tab ends signed in on its own page, in whatever order the person signs in; a callback
 * that cannot complete is a page a person can read, with a Try again link that works.
 */

type App = { origin: string; credentials: Credentials };
const USER: App = { origin: URLS.userWeb, credentials: DEMO.user };
const ADMIN: App = { origin: URLS.adminWeb, credentials: DEMO.admin };

/** Opens a tab on `/api/auth/login?returnTo=…` and waits for the provider's sign-in form. */
async function openSignIn(context: BrowserContext, app: App, returnTo: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.origin}/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  return page;
}

async function expectSignedIn(page: Page, app: App) {
  const session = await page.request.get(`${app.origin}/api/auth/session`);
  expect(await session.json()).toMatchObject({
    authenticated: true,
    user: { email: app.credentials.email },
  });
}

/** Signs in on every tab (in `order`); each must land on its own returnTo. */
async function signInTabs(context: BrowserContext, app: App, returnTos: string[], order: number[]) {
  const tabs: Page[] = [];
  for (const returnTo of returnTos) tabs.push(await openSignIn(context, app, returnTo));
  for (const i of order) {
    await fillSignIn(tabs[i]!, app.credentials);
    await tabs[i]!.waitForURL(`${app.origin}${returnTos[i]}`);
    await expect(tabs[i]!.getByText('not valid JSON')).toHaveCount(0);
  }
  for (const [i, tab] of tabs.entries()) expect(tab.url()).toBe(`${app.origin}${returnTos[i]}`);
  await expectSignedIn(tabs[0]!, app);
}

for (const order of [
  [0, 1],
  [1, 0],
]) {
  test(`two tabs sign in to user-web at once, tab ${order[0]! + 1} first: both end signed in on their page`, async ({
    browser,
  }) => {
    const context = await browser.newContext();
    await signInTabs(context, USER, ['/profile', '/'], order);
    await expect(context.pages()[0]!.getByRole('heading', { name: 'Your profile' })).toBeVisible();
    await context.close();
  });
}

test('three tabs sign in to user-web at once, the middle one first', async ({ browser }) => {
  const context = await browser.newContext();
  await signInTabs(context, USER, ['/profile', '/', '/profile?tab=3'], [1, 2, 0]);
  await context.close();
});

test('two tabs sign in to admin-web (Strict session cookie) at once, the later one first', async ({
  browser,
}) => {
  const context = await browser.newContext();
  await signInTabs(context, ADMIN, ['/users', '/audit'], [1, 0]);
  await context.close();
});

/** Follows the page's Try again link; the provider still knows the person, so it comes straight back. */
async function tryAgain(page: Page, app: App, returnTo: string) {
  const link = page.getByRole('link', { name: 'Try again' });
  await expect(link).toHaveAttribute(
    'href',
    returnTo === '/' ? '/api/auth/login' : `/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
  );
  await link.click();
  await page.waitForURL(`${app.origin}${returnTo}`);
  await expectSignedIn(page, app);
}

/** The callback's page for a person: what happened, the request id for support, never JSON or a token. */
async function expectErrorPage(page: Page, status: number, words: RegExp) {
  expect(status).toBe(400);
  await expect(page.getByRole('heading', { name: 'Sign-in did not finish' })).toBeVisible();
  await expect(page.getByText(words)).toBeVisible();
  await expect(page.getByText(/request ID/)).toBeVisible();
  const body = await page.content();
  expect(body).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  expect(body).not.toContain('"status":"error"');
}

test('an expired sign-in shows a page a person can read, and its Try again link works', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await openSignIn(context, USER, '/profile');
  // Age this tab's transaction by 11 minutes: re-seal its cookie (the e2e system's password) with an
  // earlier start, as if the person had left the sign-in page open that long.
  const env = readState()!.services['user-web'].spec.env;
  const passwords = Object.fromEntries(
    env
      .USER_WEB_SESSION_PASSWORDS!.split(',')
      .map((pair) => [pair.split(':')[0]!, pair.slice(pair.indexOf(':') + 1)]),
  );
  const options = { sessionCookieName: '__Host-user-session', passwords };
  const [cookie] = (await context.cookies(USER.origin)).filter((c) => c.name.includes('-tx.'));
  const state = cookie!.name.slice(cookie!.name.indexOf('-tx.') + 4);
  const request = new Request(`${USER.origin}/`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
  const found = await createTransactionStore(options).find(request, state);
  if (found.status !== 'pending') throw new Error(`the tab's transaction is ${found.status}`);
  const elevenMinutesAgo = Date.now() - 11 * 60_000;
  const aged = createTransactionStore({ ...options, now: () => elevenMinutesAgo });
  const [setCookie] = await aged.begin(new Request(`${USER.origin}/`), {
    ...found.transaction,
    createdAt: elevenMinutesAgo,
  });
  const value = setCookie!.split(';')[0]!.slice(cookie!.name.length + 1);
  await context.addCookies([{ ...cookie!, value }]);

  const callback = page.waitForResponse((r) => r.url().startsWith(`${USER.origin}/api/auth/callback`));
  await fillSignIn(page, USER.credentials);
  const response = await callback;
  await expectErrorPage(page, response.status(), /longer than 10 minutes/);
  expect(await page.getByText(response.headers()['x-request-id']!).count()).toBe(1);
  await tryAgain(page, USER, '/profile');
  await context.close();
});

test('a sign-in whose transaction cookie is gone (expired in the browser) shows the page; Try again works', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await openSignIn(context, USER, '/profile');
  await context.clearCookies({ name: /-tx\./ });
  const callback = page.waitForResponse((r) => r.url().startsWith(`${USER.origin}/api/auth/callback`));
  await fillSignIn(page, USER.credentials);
  await expectErrorPage(page, (await callback).status(), /expired or was started elsewhere/);
  await tryAgain(page, USER, '/');
  await context.close();
});

for (const app of [USER, ADMIN]) {
  const name = app === USER ? 'user-web' : 'admin-web';
  const sessionCookie = app === USER ? '__Host-user-session' : '__Host-admin-session';
  const returnTo = app === USER ? '/profile' : '/users';

  test(`${name}: a replayed callback goes to its page while signed in, else shows the page with a working Try again`, async ({
    browser,
  }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${app.origin}/api/auth/callback`)) callbacks.push(r.url());
    });
    await page.goto(`${app.origin}${returnTo}`);
    await fillSignIn(page, app.credentials);
    await page.waitForURL(`${app.origin}${returnTo}`);
    const used = callbacks[0]!;

    // The back button or a reload of the callback while signed in: on to the page, not an error.
    await page.goto(`${app.origin}/`);
    await page.goto(used);
    await page.waitForURL(`${app.origin}${returnTo}`);
    await expectSignedIn(page, app);

    // The same URL without the session: already used, said in plain words; Try again signs in anew.
    // Leave the app first: its live-session watcher would otherwise notice and sign in again itself.
    await page.goto('about:blank');
    await context.clearCookies({ name: sessionCookie });
    const response = await page.goto(used);
    await expectErrorPage(page, response!.status(), /already used/);
    await tryAgain(page, app, returnTo);
    await context.close();
  });
}

test('a fetch to the callback still gets the JSON envelope', async ({ page }) => {
  await page.goto(`${URLS.userWeb}/`);
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/auth/callback?code=x&state=not-a-state-of-ours', {
      headers: { accept: 'application/json' },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.json(),
    };
  });
  expect(answer.status).toBe(400);
  expect(answer.type).toMatch(/^application\/json/);
  expect(answer.body).toMatchObject({ status: 'error', error: { code: 'login_failed' } });
});
