import { CookieJar, signInOverHttp } from '@bff-auth/auth-service/testing';
import { BENCH_USER, USER_WEB_CLIENT_SECRET } from './system';

/** user-web's session cookie, and the prefix of its login transaction cookies (one per `state`). */
const SESSION_COOKIE = '__Host-user-session';
const TX_COOKIE_PREFIX = '__Host-user-session-tx.';
const MAX_HOPS = 12;

/** `name=value` of the first non-empty Set-Cookie of a response whose name starts with `prefix`. */
function cookiePair(response: Response, prefix: string): string | undefined {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith(prefix) && pair.indexOf('=') < pair.length - 1);
}

/**
 * Signs in to user-web like a browser: /api/auth/login → the auth service's sign-in form → back to
 * /api/auth/callback with the transaction cookie. Returns the `__Host-user-session=…` pair, which a
 * Node client sends itself in the Cookie header (the Secure attribute only binds a browser).
 */
export async function signInToBff(webUrl: string, user = BENCH_USER): Promise<string> {
  const login = await fetch(`${webUrl}/api/auth/login?returnTo=/profile`, { redirect: 'manual' });
  const tx = cookiePair(login, TX_COOKIE_PREFIX);
  const start = login.headers.get('location');
  if (!tx || !start) throw new Error(`user-web /api/auth/login answered ${login.status} without a redirect`);

  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    return response;
  };
  let response = await go(start);
  let base = start;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, base).toString();
      if (next.startsWith(`${webUrl}/api/auth/callback`)) {
        const callback = await fetch(next, { redirect: 'manual', headers: { cookie: tx } });
        const session = cookiePair(callback, `${SESSION_COOKIE}=`);
        if (!session) throw new Error(`user-web callback answered ${callback.status} without a session`);
        return session;
      }
      base = next;
      response = await go(next);
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no sign-in form at ${base} (${response.status}): ${page.slice(0, 200)}`);
    base = new URL(action, base).toString();
    response = await go(base, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email, password: user.password }).toString(),
    });
  }
  throw new Error('sign-in did not reach user-web /api/auth/callback');
}

/**
 * An access token for user-api (user-web's default resource) from a code flow of our own as the
 * user-web client: the BFF never reveals the tokens it holds.
 */
export async function directAccessToken(issuer: string, webUrl: string, user = BENCH_USER): Promise<string> {
  const result = await signInOverHttp({
    issuer,
    clientId: 'user-web',
    clientSecret: USER_WEB_CLIENT_SECRET,
    redirectUri: `${webUrl}/api/auth/callback`,
    email: user.email,
    password: user.password,
  });
  if (!result.ok) throw new Error(`direct sign-in failed (${result.status}): ${result.page.slice(0, 200)}`);
  return result.tokens.access_token;
}
