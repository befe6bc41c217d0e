import { createSessionStore } from '@bff-auth/bff-core/session';
import { expect, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import { DEMO, readState, URLS } from '../fixtures/system';

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/;

/** Opens the sealed session cookie with the system's session password to learn the real tokens. */
async function tokensOf(cookieValue: string) {
  const env = readState()!.services['user-web'].spec.env;
  const [id, password] = env.USER_WEB_SESSION_PASSWORDS!.split(/:(.*)/s) as [string, string];
  const store = createSessionStore({
    cookieName: '__Host-user-session',
    sameSite: 'Lax',
    ttlSeconds: 3600,
    passwords: { [id]: password },
  });
  const session = await store.read(
    new Request(URLS.userWeb, { headers: { cookie: `__Host-user-session=${cookieValue}` } }),
  );
  if (!session) throw new Error('the session cookie does not unseal');
  return [session.data.at, session.data.rt, session.data.idt].filter((t): t is string => Boolean(t));
}

test('no token reaches the browser: storage, cookies, headers and bodies (RSC included) hold none', async ({
  page,
}) => {
  const seen: { url: string; headers: string; body: string }[] = [];
  const setCookies: string[] = [];
  page.on('response', async (response) => {
    const headers = await response.headersArray();
    for (const h of headers)
      if (h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('__Host-user-session='))
        setCookies.push(h.value);
    let body = '';
    try {
      body = (await response.body()).toString('utf8');
    } catch {}
    seen.push({ url: response.url(), headers: headers.map((h) => `${h.name}: ${h.value}`).join('\n'), body });
  });

  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  await expect(page.getByLabel('Display name')).not.toHaveValue('');
  // Navigating again, and asking for the React Server Components payload the way the router does.
  await page.getByRole('link', { name: 'User app' }).click();
  await page.getByRole('link', { name: 'Profile' }).first().click();
  await expect(page.getByLabel('Display name')).not.toHaveValue('');
  await page.evaluate(async () => {
    await fetch('/profile', { headers: { RSC: '1' } }).then((r) => r.text());
    await fetch('/api/auth/session').then((r) => r.text());
  });

  const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-user-session');
  expect(cookie).toBeDefined();
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  expect(cookie!.value).not.toMatch(JWT);
  expect(setCookies.length).toBeGreaterThan(0);
  for (const line of setCookies) {
    expect(line).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    expect(line).not.toMatch(/domain=/i);
  }

  const tokens = await tokensOf(cookie!.value);
  expect(tokens.length).toBe(3);

  const storage = await page.evaluate(async () => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    indexedDb: JSON.stringify(await indexedDB.databases()),
  }));
  for (const value of Object.values(storage)) {
    expect(value).not.toMatch(JWT);
    for (const token of tokens) expect(value).not.toContain(token);
  }
  expect(storage.cookie).not.toContain('__Host-user-session');

  const fromOurApp = seen.filter((r) => r.url.startsWith(URLS.userWeb));
  expect(fromOurApp.some((r) => r.url.includes('_rsc') || r.headers.includes('text/x-component'))).toBe(true);
  for (const response of fromOurApp) {
    const everything = `${response.headers}\n${response.body}`;
    expect(everything, response.url).not.toMatch(JWT);
    for (const token of tokens) expect(everything, response.url).not.toContain(token);
  }
});
