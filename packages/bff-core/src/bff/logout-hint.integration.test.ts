import { startAuthService, type TestAuthService } from '@bff-auth/auth-service/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../testing/bff-fixture';
import { createUserWebBff, sessionCookieOf, signInAtProvider } from '../testing/provider-sign-in';
import type { Bff } from './create-bff';

// Sign-out against the real auth service: the browser gets an end-session URL with an opaque,
// single-use logout hint instead of the ID token (SPEC §4.4), and that hint signs out without a click.
let auth: TestAuthService;
let bff: Bff;
const PASSWORD = 'correct horse battery staple';
const JWT_SHAPED = /eyJ[\w-]*\.[\w-]+\.[\w-]*/;

beforeAll(async () => {
  auth = await startAuthService();
  await auth.createUser({ email: 'otto@example.com', password: PASSWORD });
  bff = createUserWebBff(auth);
}, 120_000); // starting an auth service on a busy machine; not a measurement
afterAll(async () => {
  await bff?.close();
  await auth?.close();
});

/** login → provider form → callback, like a browser; returns the session cookie and the browser's jar. */
async function signIn() {
  const { callback, jar } = await signInAtProvider(bff, {
    providerUrl: auth.url,
    email: 'otto@example.com',
    password: PASSWORD,
    returnTo: '/',
  });
  return { cookie: sessionCookieOf(callback), jar };
}

describe('sign-out with the real auth service', () => {
  it('answers with an end-session URL holding a single-use logout hint and no JWT, which signs out at once', async () => {
    const { cookie, jar } = await signIn();
    const res = await bff.handleLogout(
      new Request(`${APP_ORIGIN}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf': '1', origin: APP_ORIGIN },
      }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(JWT_SHAPED);
    for (const [, value] of res.headers) expect(value).not.toMatch(JWT_SHAPED);
    const end = new URL(JSON.parse(text).data.redirectTo);
    expect(end.origin + end.pathname).toBe(`${auth.issuer}/session/end`);
    expect(end.searchParams.get('id_token_hint')).toBeNull();
    expect(end.searchParams.get('client_id')).toBe('user-web');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${APP_ORIGIN}/`);
    expect(end.searchParams.get('logout_hint')).toMatch(/^[\w-]{43}$/);

    // The browser follows it: the provider signs out without asking (the user clicked in the app).
    const page = await fetch(end, { headers: { cookie: jar.header() } });
    const html = await page.text();
    expect(html).toContain('Signing out');
    expect(html).toMatch(/<script nonce=/);
  });
});
