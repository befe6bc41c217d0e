import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { BffOptions } from '../bff/config';
import { type Bff, createBff } from '../bff/create-bff';
import type { SessionData } from '../session/session-data';
import type { RouteDefinition } from '../upstream/route-table';
import type { FakeIssuer } from './fake-issuer';

export const APP_ORIGIN = 'http://localhost:3002';
export const TEST_PASSWORDS = { 1: 'bff-fixture-password-bff-fixture-password' };

/**
 * The profile read as the tests declare it: user-web's `GET /api/profile` to user-api (the app declares its
 * own in apps/user-web/src/lib/bff-app.ts). Spread it and add `fallback: 'cache'` where a test needs one.
 */
export const PROFILE_GET_ROUTE = {
  method: 'GET',
  path: '/api/profile',
  upstream: 'user-api',
  upstreamPath: '/api/v1/profiles/me',
} as const satisfies RouteDefinition;

/** A createBff wired to a fake issuer and one upstream, as the user app would be. */
export function createTestBff(
  issuer: FakeIssuer,
  redis: RedisClient,
  upstreamUrl: string,
  overrides: Partial<BffOptions> = {},
): Bff {
  return createBff({
    appOrigin: APP_ORIGIN,
    issuer: issuer.issuer,
    clientId: 'test-web',
    clientSecret: 'secret',
    session: { passwords: TEST_PASSWORDS },
    redis,
    upstreams: { 'user-api': { url: upstreamUrl, readTimeoutMs: 2000 } },
    routes: {
      'profile.get': { ...PROFILE_GET_ROUTE, fallback: 'cache' },
      'profile.put': {
        method: 'PUT',
        path: '/api/profile',
        upstream: 'user-api',
        upstreamPath: '/api/v1/profiles/me',
      },
    },
    ...overrides,
  });
}

/** The `name=value` part of a Set-Cookie value. */
export const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

/** Seals a session for a grant minted by the fake issuer, as a finished sign-in would have. */
export async function signedInCookie(bff: Bff, issuer: FakeIssuer, userId?: string): Promise<string> {
  const grant = await issuer.issueGrant(userId);
  const data: SessionData = {
    v: 1,
    uid:
      userId ??
      (JSON.parse(Buffer.from(grant.accessToken.split('.')[1]!, 'base64url').toString()).sub as string),
    sid: grant.sid,
    cat: Math.floor(Date.now() / 1000),
    at: grant.accessToken,
    ate: grant.exp,
    rt: grant.refreshToken,
    idt: grant.idToken,
  };
  return cookiePair(await bff.context.sessions.seal(data));
}

export const get = (path: string, cookie?: string, headers: Record<string, string> = {}) =>
  new Request(`${APP_ORIGIN}${path}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });

export const put = (
  path: string,
  cookie: string,
  body: string,
  headers: Record<string, string> = { 'x-csrf': '1' },
) =>
  new Request(`${APP_ORIGIN}${path}`, {
    method: 'PUT',
    body,
    headers: { cookie, 'content-type': 'application/json', ...headers },
  });
