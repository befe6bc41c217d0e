import { CookieJar, type TestAuthService } from '@bff-auth/auth-service/testing';
import type { BffOptions } from '../bff/config';
import { type Bff, createBff } from '../bff/create-bff';
import { APP_ORIGIN, cookiePair, get, TEST_PASSWORDS } from './bff-fixture';

/**
 * A BFF for user-web on the real auth service of the test harness (its Redis, its client secret), with
 * no upstream unless `overrides` declares some.
 */
export function createUserWebBff(auth: TestAuthService, overrides: Partial<BffOptions> = {}): Bff {
  return createBff({
    appOrigin: APP_ORIGIN,
    issuer: auth.issuer,
    clientId: 'user-web',
    clientSecret: auth.secrets['user-web'],
    scope: 'openid email profile roles',
    session: { passwords: TEST_PASSWORDS },
    redis: auth.redis.redis,
    upstreams: {},
    routes: {},
    ...overrides,
  });
}

export interface ProviderSignInOptions {
  /** Where the provider's pages are served (the auth service's URL). */
  providerUrl: string;
  email: string;
  password: string;
  /** Default '/profile'. */
  returnTo?: string;
  /** Sees the provider's sign-in page before it is submitted (to assert on its form). */
  onForm?: (page: string) => void;
}

/**
 * Signs in through a real provider as a browser would: the BFF's login, the provider's redirects and
 * form (the browser's cookies kept in `jar`), then the BFF's callback, whose answer is returned.
 */
export async function signInAtProvider(
  bff: Bff,
  { providerUrl, email, password, returnTo = '/profile', onForm }: ProviderSignInOptions,
): Promise<{ callback: Response; jar: CookieJar }> {
  const login = await bff.handleLogin(get(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`));
  const tx = cookiePair(login.headers.get('set-cookie')!);
  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, providerUrl), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(res);
    return res;
  };
  let res = await go(login.headers.get('location')!);
  for (let hop = 0; hop < 12; hop++) {
    const location = res.headers.get('location');
    if (location?.startsWith(`${APP_ORIGIN}/api/auth/callback`)) {
      const url = new URL(location);
      return { callback: await bff.handleCallback(get(url.pathname + url.search, tx)), jar };
    }
    if (location) {
      res = await go(location);
      continue;
    }
    const page = await res.text();
    onForm?.(page);
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`no sign-in form (${res.status}): ${page.slice(0, 300)}`);
    res = await go(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }).toString(),
    });
  }
  throw new Error('sign-in did not reach the callback');
}

/** The session cookie (`name=value`) a callback set. */
export const sessionCookieOf = (callback: Response, name = '__Host-user-session') =>
  cookiePair(callback.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))!);
