import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransactionStore, MAX_TRANSACTIONS } from '../oidc/transaction';
import { MAX_COOKIE_BYTES } from '../session/session-cookie';
import { APP_ORIGIN, createTestBff, TEST_PASSWORDS } from '../testing/bff-fixture';
import { CookieJar } from '../testing/cookie-jar';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';
import { SAME_SITE_HOP_PARAM } from './handle-callback';

const TX_PREFIX = '__Host-user-session-tx.';
const NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
};
const FETCH_JSON = { accept: 'application/json', 'sec-fetch-mode': 'cors' };
const JWT = /eyJ[\w-]+\.[\w-]+/;

let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;

beforeAll(async () => {
  t = await createTestRedis('bff-sign-in-tabs');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  api = await startTestServer();
  bff = createTestBff(issuer, t.redis, api.url);
});
afterEach(async () => {
  await bff.close();
  await api.close();
  await issuer.close();
});

/** `/api/auth/login` in one browser (its jar takes the Set-Cookie values). */
async function startSignIn(target: Bff, jar: CookieJar, returnTo: string, origin = APP_ORIGIN) {
  const login = await target.handleLogin(
    jar.request(`${origin}/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`, NAVIGATION),
  );
  expect(login.status).toBe(303);
  jar.apply(login.headers.getSetCookie());
  return login.headers.get('location')!;
}

/** The provider's answer to an authorization URL: the callback URL it sends the browser to. */
async function authorize(authorizationUrl: string): Promise<string> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  return response.headers.get('location')!;
}

/** Runs a callback in the browser of `jar` and applies its cookies. */
async function callback(
  target: Bff,
  jar: CookieJar,
  url: string,
  headers: Record<string, string> = NAVIGATION,
) {
  const response = await target.handleCallback(jar.request(url, headers));
  jar.apply(response.headers.getSetCookie());
  return response;
}

const sessionOf = async (target: Bff, jar: CookieJar) =>
  (await target.handleSession(jar.request(`${APP_ORIGIN}/api/auth/session`))).json();

describe('several tabs signing in at once', () => {
  // Up to 5 tabs × 8 runs of real sign-ins: a generous ceiling for a loaded machine, not a measurement.
  it('all end signed in on their own returnTo, in any order of the callbacks', {
    timeout: 90_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: MAX_TRANSACTIONS })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n })),
          ),
        fc.boolean(),
        async ([n, order], concurrently) => {
          const jar = new CookieJar();
          const returnTos = [...Array(n).keys()].map((i) => `/tab-${i}?q=${i}`);
          // Tabs whose session expired all go to sign in at the same moment (each sees the same
          // cookies), or one after another.
          let authorizationUrls: string[];
          if (concurrently) {
            const before = jar.clone();
            const logins = await Promise.all(
              returnTos.map((r) =>
                bff.handleLogin(
                  before.request(`${APP_ORIGIN}/api/auth/login?returnTo=${encodeURIComponent(r)}`),
                ),
              ),
            );
            for (const login of logins) jar.apply(login.headers.getSetCookie());
            authorizationUrls = logins.map((l) => l.headers.get('location')!);
          } else {
            authorizationUrls = [];
            for (const r of returnTos) authorizationUrls.push(await startSignIn(bff, jar, r));
          }
          const callbacks = await Promise.all(authorizationUrls.map(authorize));
          for (const i of order) {
            const response = await callback(bff, jar, callbacks[i]!);
            expect(response.status).toBe(303);
            expect(response.headers.get('location')).toBe(`${APP_ORIGIN}${returnTos[i]}`);
          }
          expect(await sessionOf(bff, jar)).toMatchObject({ authenticated: true, user: { id: 'fake-user' } });
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a tab whose transaction was pushed out goes to / when another tab has signed in', async () => {
    const jar = new CookieJar();
    const first = await startSignIn(bff, jar, '/first');
    const others: string[] = [];
    for (let i = 0; i < MAX_TRANSACTIONS; i++) others.push(await startSignIn(bff, jar, `/other-${i}`));
    const done = await callback(bff, jar, await authorize(others[0]!));
    expect(done.headers.get('location')).toBe(`${APP_ORIGIN}/other-0`);
    const late = await callback(bff, jar, await authorize(first));
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toBe(`${APP_ORIGIN}/`);
  });
});

describe('a replayed callback', () => {
  it('goes to its returnTo while this browser is signed in, and never redeems the code twice', async () => {
    const jar = new CookieJar();
    const url = await authorize(await startSignIn(bff, jar, '/profile?x=1'));
    expect((await callback(bff, jar, url)).headers.get('location')).toBe(`${APP_ORIGIN}/profile?x=1`);
    const session = jar.cookies.get('__Host-user-session');
    const replay = await callback(bff, jar, url);
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe(`${APP_ORIGIN}/profile?x=1`);
    // Not a new sign-in: the session is the one the first callback made.
    expect(jar.cookies.get('__Host-user-session')).toBe(session);
  });

  it('shows a person the page, with Try again keeping returnTo, when not signed in', async () => {
    const jar = new CookieJar();
    const url = await authorize(await startSignIn(bff, jar, '/profile?x=1'));
    await callback(bff, jar, url);
    jar.cookies.delete('__Host-user-session');
    const replay = await bff.handleCallback(
      jar.request(url, { ...NAVIGATION, 'x-request-id': 'req-replay-1' }),
    );
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(replay.headers.get('content-security-policy')).toMatch(
      /default-src 'none'.*frame-ancestors 'none'/,
    );
    const page = await replay.text();
    expect(page).toContain('already used');
    expect(page).toContain(
      '<a class="button" href="/api/auth/login?returnTo=%2Fprofile%3Fx%3D1">Try again</a>',
    );
    expect(page).toContain('req-replay-1');
    expect(page).not.toMatch(JWT);
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('__Host-user-session='))).toBe(false);
  });

  it('answers the JSON envelope to fetch (Accept: application/json)', async () => {
    const jar = new CookieJar();
    const url = await authorize(await startSignIn(bff, jar, '/profile'));
    await callback(bff, jar, url);
    jar.cookies.delete('__Host-user-session');
    const replay = await callback(bff, jar, url, FETCH_JSON);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await replay.json()).toMatchObject({ status: 'error', error: { code: 'login_failed' } });
  });
});

describe('callback failures a person can read', () => {
  it('an expired sign-in: page with Try again keeping returnTo', async () => {
    const clock = { now: Date.now() };
    bff.context.transactions = createTransactionStore({
      sessionCookieName: '__Host-user-session',
      passwords: TEST_PASSWORDS,
      now: () => clock.now,
    });
    const jar = new CookieJar();
    const url = await authorize(await startSignIn(bff, jar, '/users?page=2'));
    clock.now += 11 * 60_000;
    const response = await callback(bff, jar, url);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('longer than 10 minutes');
    expect(page).toContain('href="/api/auth/login?returnTo=%2Fusers%3Fpage%3D2"');
  });

  it('a callback from another browser (no transaction): page, Try again to /', async () => {
    const url = await authorize(await startSignIn(bff, new CookieJar(), '/profile'));
    const response = await callback(bff, new CookieJar(), url);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('started elsewhere');
    expect(page).toContain('href="/api/auth/login">Try again</a>');
  });

  it('the provider refusing the sign-in: its error code in plain words, the transaction used', async () => {
    const jar = new CookieJar();
    const authorizationUrl = new URL(await startSignIn(bff, jar, '/profile'));
    const state = authorizationUrl.searchParams.get('state')!;
    const url = `${APP_ORIGIN}/api/auth/callback?error=access_denied&error_description=%3Cb%3Eclick%20here%3C%2Fb%3E&state=${state}`;
    const response = await callback(bff, jar, url);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('(access_denied)');
    // The provider's free text is not shown: anyone can put a link to the callback with their own.
    expect(page).not.toContain('click here');
    expect((await callback(bff, jar, url)).status).toBe(400);
    expect(await (await callback(bff, jar, url)).text()).toContain('already used');
  });

  it('escapes everything it shows', async () => {
    const jar = new CookieJar();
    const returnTo = '/x"><script>alert(1)</script>';
    const url = await authorize(await startSignIn(bff, jar, returnTo));
    await callback(bff, jar, url);
    jar.cookies.delete('__Host-user-session');
    const response = await callback(bff, jar, url, { ...NAVIGATION, 'x-request-id': '<b>' });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(`href="/api/auth/login?returnTo=${encodeURIComponent(returnTo)}"`);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
  });

  it('never answers 5xx for junk callback input', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('code', 'state', 'error', 'iss', SAME_SITE_HOP_PARAM),
          fc.string({ maxLength: 300 }),
        ),
        fc.boolean(),
        async (params, json) => {
          const url = new URL(`${APP_ORIGIN}/api/auth/callback`);
          for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
          const response = await bff.handleCallback(
            new CookieJar().request(url.href, json ? FETCH_JSON : NAVIGATION),
          );
          expect(response.status).toBe(400);
          expect(response.headers.get('content-type')).toMatch(json ? /^application\/json/ : /^text\/html/);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('/api/auth/login failures', () => {
  it('a provider that cannot be reached: a 503 page with Try again keeping returnTo; JSON to fetch', async () => {
    const down = createTestBff({ ...issuer, issuer: 'http://127.0.0.1:9' }, t.redis, api.url);
    try {
      const page = await down.handleLogin(
        new CookieJar().request(`${APP_ORIGIN}/api/auth/login?returnTo=%2Fprofile`, NAVIGATION),
      );
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      const html = await page.text();
      expect(html).toContain('href="/api/auth/login?returnTo=%2Fprofile">Try again</a>');
      expect(page.headers.getSetCookie()).toEqual([]);
      const json = await down.handleLogin(
        new CookieJar().request(`${APP_ORIGIN}/api/auth/login?returnTo=%2Fprofile`, FETCH_JSON),
      );
      expect(json.status).toBe(503);
      expect((await json.json()).error.code).toBe('auth_unavailable');
    } finally {
      await down.close();
    }
  });

  it('any returnTo: a redirect to the provider with a cookie the browser keeps, never a 5xx', {
    timeout: 60_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 3000 }),
          fc.string({ unit: 'grapheme', maxLength: 2500 }).map((r) => `/${r}`),
        ),
        async (returnTo) => {
          const url = new URL(`${APP_ORIGIN}/api/auth/login`);
          url.searchParams.set('returnTo', returnTo);
          const login = await bff.handleLogin(new CookieJar().request(url.href, NAVIGATION));
          expect(login.status).toBe(303);
          expect(login.headers.get('location')!.startsWith(`${issuer.issuer}/auth?`)).toBe(true);
          const [cookie] = login.headers.getSetCookie();
          expect(cookie!.split(';')[0]!.length).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a returnTo too long for a cookie signs in to / instead of failing silently (issue #8)', async () => {
    const jar = new CookieJar();
    const long = `/${'é'.repeat(1800)}`;
    const url = await authorize(await startSignIn(bff, jar, long));
    const tx = jar.names(TX_PREFIX);
    expect(tx).toHaveLength(1);
    expect(tx[0]!.length + 1 + jar.cookies.get(tx[0]!)!.length).toBeLessThan(MAX_COOKIE_BYTES);
    const response = await callback(bff, jar, url);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${APP_ORIGIN}/`);
  });
});

describe('admin app (SameSite=Strict session)', () => {
  const ADMIN = 'http://localhost:3003';
  let admin: Bff;
  beforeEach(() => {
    admin = createTestBff(issuer, t.redis, api.url, {
      app: 'admin',
      appOrigin: ADMIN,
      requiredRole: 'admin',
    });
    issuer.roles = ['user', 'admin'];
  });
  afterEach(async () => {
    await admin.close();
  });

  it('a cross-site callback hops through our own page first, which then sees the Strict session', async () => {
    const jar = new CookieJar();
    const url = await authorize(await startSignIn(admin, jar, '/users?q=a', ADMIN));
    expect((await callback(admin, jar, url)).status).toBe(200);
    const session = jar.cookies.get('__Host-admin-session')!;
    // The same callback again (back button), arriving from the provider's site: the browser withholds
    // the Strict cookie, so the server cannot see the session yet.
    jar.cookies.delete('__Host-admin-session');
    const crossSite = await callback(admin, jar, url, { ...NAVIGATION, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(200);
    expect(crossSite.headers.getSetCookie()).toEqual([]);
    const hop = new URL(
      (await crossSite.text()).match(/content="0;url=([^"]+)"/)![1]!.replace(/&#38;/g, '&'),
    );
    expect(hop.origin).toBe(ADMIN);
    expect(hop.searchParams.get(SAME_SITE_HOP_PARAM)).toBe('1');
    expect(hop.searchParams.get('state')).toBe(new URL(url).searchParams.get('state'));
    // The hop is a navigation from our own page: same-origin, and the Strict cookie comes along.
    jar.cookies.set('__Host-admin-session', session);
    const landed = await callback(admin, jar, hop.href, { ...NAVIGATION, 'sec-fetch-site': 'same-origin' });
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain(`content="0;url=${ADMIN}/users?q=a"`);
    // Without a session the hop ends on the page, not in a loop.
    jar.cookies.delete('__Host-admin-session');
    const alone = await callback(admin, jar, hop.href, { ...NAVIGATION, 'sec-fetch-site': 'cross-site' });
    expect(alone.status).toBe(400);
    expect(await alone.text()).toContain('href="/api/auth/login?returnTo=%2Fusers%3Fq%3Da">Try again</a>');
  });

  it('two tabs sign in at once; each ends on its own returnTo through the hop page', async () => {
    const jar = new CookieJar();
    const a = await startSignIn(admin, jar, '/users', ADMIN);
    const b = await startSignIn(admin, jar, '/audit', ADMIN);
    for (const [authorizationUrl, returnTo] of [
      [b, '/audit'],
      [a, '/users'],
    ] as const) {
      const url = await authorize(authorizationUrl);
      const response = await callback(admin, jar, url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`content="0;url=${ADMIN}${returnTo}"`);
    }
    expect(jar.cookies.get('__Host-admin-session')).toMatch(/^Fe26/);
  });
});
