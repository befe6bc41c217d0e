import { connect } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import { DEMO, PORTS, URLS } from '../fixtures/system';

/** One raw HTTP/1.1 exchange: fetch and Playwright refuse TRACE, TRACK and CONNECT. */
function raw(port: number, requestLine: string): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `${requestLine}\r\nHost: localhost:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
    });
    let data = '';
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer to ${requestLine}`)));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('end', () => {
      const head = data.split('\r\n\r\n')[0] ?? '';
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head });
    });
    socket.on('error', reject);
  });
}

const allowOf = (head: string) => /\r\nallow: ([^\r]*)/i.exec(head)?.[1] ?? null;

test.describe('unserved methods get 405 with Allow, never a 500 (SPEC §8)', () => {
  const apps = [
    {
      port: PORTS.userWeb,
      paths: ['/', '/profile', '/nope', '/api/profile', '/api/auth/session', '/api/health'],
    },
    {
      port: PORTS.adminWeb,
      paths: ['/', '/users', '/users/u1', '/audit', '/api/users', '/api/users/u1/disable'],
    },
  ];
  for (const { port, paths } of apps) {
    test(`on port ${port}: TRACE, TRACK, CONNECT, PROPFIND, M-SEARCH, odd tokens`, async () => {
      for (const path of paths) {
        for (const method of ['TRACE', 'TRACK', 'PROPFIND', 'M-SEARCH', 'LOCK', 'FOO', 'X-Y_Z']) {
          const { status, head } = await raw(port, `${method} ${path} HTTP/1.1`);
          expect(status, `${method} ${path}`).toBe(405);
          expect(allowOf(head), `${method} ${path}`).toBeTruthy();
        }
      }
      const connectAnswer = await raw(port, `CONNECT localhost:${port} HTTP/1.1`);
      expect(connectAnswer.status).toBe(405);
    });

    test(`on port ${port}: pages answer only GET and HEAD`, async () => {
      for (const path of paths.filter((p) => !p.startsWith('/api/'))) {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
          const { status, head } = await raw(port, `${method} ${path} HTTP/1.1`);
          expect(status, `${method} ${path}`).toBe(405);
          expect(allowOf(head), `${method} ${path}`).toBe('GET, HEAD');
        }
      }
      // A route handler's own methods are unaffected; the others are Next's 405.
      const { status } = await raw(port, `DELETE ${paths.find((p) => p.startsWith('/api/'))} HTTP/1.1`);
      expect(status).toBe(405);
    });
  }
});

test.describe('pages run under a nonce CSP without unsafe-inline scripts', () => {
  test('each page gets its own nonce; no script-src unsafe-inline', async ({ request }) => {
    const nonces = new Set<string>();
    for (const url of [`${URLS.userWeb}/`, `${URLS.userWeb}/`, `${URLS.adminWeb}/`]) {
      const res = await request.get(url);
      expect(res.status()).toBe(200);
      const csp = res.headers()['content-security-policy'] ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect(nonce).toBeTruthy();
      nonces.add(nonce!);
      // Next put the nonce on its own scripts.
      expect(await res.text()).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  test('signed-in pages hydrate and work with no CSP violation', async ({ browser }) => {
    const violations: string[] = [];
    const watch = (page: Page) =>
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to (execute|load)/i.test(message.text()))
          violations.push(message.text());
      });
    const userContext = await browser.newContext();
    const user = await userContext.newPage();
    watch(user);
    await signInAt(user, `${URLS.userWeb}/profile`, DEMO.user);
    // The client components fetched the profile and the form saves: React hydrated.
    const displayName = user.getByLabel('Display name');
    await expect(displayName).not.toHaveValue('');
    await displayName.fill(await displayName.inputValue());
    await user.getByRole('button', { name: 'Save changes' }).click();
    await expect(user.getByText('Profile saved')).toBeVisible();

    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    watch(admin);
    await signInAt(admin, `${URLS.adminWeb}/users`, DEMO.admin);
    await expect(admin.getByRole('link', { name: DEMO.admin.email })).toBeVisible();

    expect(violations).toEqual([]);
    await userContext.close();
    await adminContext.close();
  });
});
