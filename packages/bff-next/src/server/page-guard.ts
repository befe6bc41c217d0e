import 'server-only';
import type { Bff } from '@bff-auth/bff-core';
import { type NextRequest, NextResponse } from 'next/server';

export interface PageGuardOptions {
  getBff: () => Bff;
  /** Path prefixes that need a session, e.g. ['/profile']. */
  protectedPaths: string[];
  /** Where a signed-in user without the app's required role is sent (rewritten, status 403). */
  forbiddenPath?: string;
}

const isProtected = (path: string, prefixes: string[]) =>
  prefixes.some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The body of proxy.ts (Next 16): protected pages need a session, refreshed before the page renders.
 * The refreshed cookie goes both to the browser and, rewritten into the request, to the page itself.
 * Route handlers check the session again on their own; this is not the only gate.
 */
export function createPageGuard({ getBff, protectedPaths, forbiddenPath }: PageGuardOptions) {
  return async function proxy(request: NextRequest): Promise<NextResponse> {
    const path = request.nextUrl.pathname;
    if (!isProtected(path, protectedPaths)) return NextResponse.next();

    let lookup: Awaited<ReturnType<Bff['getSession']>>;
    try {
      lookup = await getBff().getSession(request);
    } catch {
      return new NextResponse('Sign-in is temporarily unavailable. Try again in a moment.', {
        status: 503,
        headers: {
          'Retry-After': '5',
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-store',
        },
      });
    }
    if (!lookup.authenticated || !lookup.user) {
      const login = new URL('/api/auth/login', request.nextUrl.origin);
      login.searchParams.set('returnTo', `${path}${request.nextUrl.search}`);
      const response = NextResponse.redirect(login, 303);
      for (const cookie of lookup.setCookie) response.headers.append('Set-Cookie', cookie);
      return response;
    }

    const requestHeaders = new Headers(request.headers);
    if (lookup.setCookie.length)
      requestHeaders.set('cookie', mergeCookies(request.headers.get('cookie'), lookup.setCookie));
    const forbidden = forbiddenPath && lookup.user && !hasRole(getBff(), lookup.user.roles);
    const response = forbidden
      ? NextResponse.rewrite(new URL(forbiddenPath, request.nextUrl.origin), {
          status: 403,
          request: { headers: requestHeaders },
        })
      : NextResponse.next({ request: { headers: requestHeaders } });
    for (const cookie of lookup.setCookie) response.headers.append('Set-Cookie', cookie);
    // Private pages must not be served from any cache, nor from the back button after sign-out.
    response.headers.set('Cache-Control', 'no-store');
    return response;
  };
}

function hasRole(bff: Bff, roles: string[]) {
  const required = bff.context.config.requiredRole;
  return !required || roles.includes(required);
}

/** The request's Cookie header with the values of `setCookie` (name=value; attributes) applied. */
export function mergeCookies(cookieHeader: string | null, setCookie: string[]): string {
  const jar = new Map<string, string>();
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const line of setCookie) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!value || /max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}
