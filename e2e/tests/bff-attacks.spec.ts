import { type APIRequestContext, expect, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import { DEMO, URLS } from '../fixtures/system';

/** SPEC §8, BFF side, against the real Next apps: every answer is a clean 4xx, never a 500, never a token. */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ/;

async function cleanRefusal(
  response: Awaited<ReturnType<APIRequestContext['get']>>,
  status: number | number[],
) {
  expect([status].flat()).toContain(response.status());
  const body = await response.text();
  expect(body).not.toMatch(JWT);
  return body;
}

test.describe('attacks on the BFFs', () => {
  let cookie: string;

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
    const session = (await context.cookies()).find((c) => c.name === '__Host-user-session')!;
    cookie = `__Host-user-session=${session.value}`;
    await context.close();
  });

  test('a state-changing call without X-CSRF, from a foreign Origin or cross-site is refused with 403', async ({
    request,
  }) => {
    const put = (headers: Record<string, string>) =>
      request.put(`${URLS.userWeb}/api/profile`, {
        headers: { cookie, ...headers },
        data: { displayName: 'Mallory' },
      });
    await cleanRefusal(await put({}), 403);
    await cleanRefusal(await put({ 'x-csrf': '1', origin: 'https://evil.example' }), 403);
    await cleanRefusal(await put({ 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }), 403);
    const form = await request.post(`${URLS.userWeb}/api/auth/logout`, {
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      data: 'a=1',
    });
    await cleanRefusal(form, 403);
    // The session survived all of that.
    const info = await (
      await request.get(`${URLS.userWeb}/api/auth/session`, { headers: { cookie } })
    ).json();
    expect(info.authenticated).toBe(true);
  });

  test('open-redirect returnTo payloads end on the app itself', async ({ request }) => {
    for (const payload of [
      '//evil.com',
      '/\\evil.com',
      'https:evil.com',
      '/%2F%2Fevil.com',
      'https://evil.com/',
    ]) {
      const response = await request.get(
        `${URLS.userWeb}/api/auth/login?returnTo=${encodeURIComponent(payload)}`,
        {
          maxRedirects: 0,
        },
      );
      expect(response.status()).toBeLessThan(400);
      const location = response.headers().location ?? '';
      expect(location.startsWith(URLS.auth)).toBe(true);
      expect(decodeURIComponent(location)).not.toContain('evil.com');
    }
  });

  test('path traversal and SSRF in proxy parameters are refused before any upstream call', async ({
    browser,
  }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAt(page, `${URLS.adminWeb}/users`, DEMO.admin);
    for (const id of ['..%2F..%2Faudit', '%2e%2e', 'http:%2F%2F169.254.169.254', '%5c..%5cadmin']) {
      const response = await page.request.get(`${URLS.adminWeb}/api/users/${id}`);
      expect([400, 404]).toContain(response.status());
      expect(await response.text()).not.toMatch(JWT);
    }
    await context.close();
  });

  test('spoofed identity headers and the x-middleware-subrequest bypass change nothing', async ({
    request,
  }) => {
    const page = await request.get(`${URLS.userWeb}/profile`, {
      headers: {
        'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware',
        'x-user-id': 'admin',
        'x-forwarded-user': 'admin@example.com',
      },
      maxRedirects: 0,
    });
    expect(page.status()).toBe(303);
    expect(page.headers().location).toContain('/api/auth/login');
    const api = await request.get(`${URLS.userWeb}/api/profile`, {
      headers: { 'x-user-id': 'someone', authorization: 'Bearer x' },
    });
    await cleanRefusal(api, 401);
  });

  test('a hostile Host header cannot steer the sign-in redirect', async ({ request }) => {
    const response = await request.get(`${URLS.userWeb}/api/auth/login`, {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
      maxRedirects: 0,
    });
    expect(response.status()).toBeLessThan(500);
    expect(decodeURIComponent(response.headers().location ?? '')).not.toContain('evil.example');
  });

  test('oversized headers and bodies get 431 and 413', async ({ request }) => {
    const big = await request.get(`${URLS.userWeb}/api/auth/session`, {
      headers: { 'x-big': 'a'.repeat(20_000) },
    });
    expect(big.status()).toBe(431);
    const body = await request.put(`${URLS.userWeb}/api/profile`, {
      headers: { cookie, 'x-csrf': '1', 'content-type': 'application/json' },
      data: JSON.stringify({ displayName: 'x'.repeat(2 * 1024 * 1024) }),
    });
    await cleanRefusal(body, 413);
  });

  test('pages and routes carry the security headers of both apps', async ({ request }) => {
    for (const url of [`${URLS.userWeb}/`, `${URLS.adminWeb}/`, `${URLS.userWeb}/api/auth/session`]) {
      const headers = (await request.get(url)).headers();
      expect(headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(headers['x-frame-options'], url).toBe('DENY');
      expect(headers['x-content-type-options'], url).toBe('nosniff');
      expect(headers['x-powered-by'], url).toBeUndefined();
    }
  });

  test('a tampered session cookie is simply anonymous', async ({ request }) => {
    const tampered = `${cookie.slice(0, -6)}AAAAAA`;
    const info = await request.get(`${URLS.userWeb}/api/auth/session`, { headers: { cookie: tampered } });
    expect(info.status()).toBe(200);
    expect((await info.json()).authenticated).toBe(false);
    await cleanRefusal(
      await request.get(`${URLS.userWeb}/api/profile`, { headers: { cookie: tampered } }),
      401,
    );
  });
});
