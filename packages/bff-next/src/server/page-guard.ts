import 'server-only';
import type { Bff } from '@bff-auth/bff-core';
import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, createNonce } from '../security-headers';

export interface PageGuardOptions {
  getBff: () => Bff;
  /** Path prefixes that need a session, e.g. ['/profile']. */
  protectedPaths: string[];
  /** Where a signed-in user without the app's required role is sent (rewritten, status 403). */
  forbiddenPath?: string;
}

/** Pages answer these; route handlers declare their own. */
export const PAGE_METHODS: readonly string[] = ['GET', 'HEAD'];

const isProtected = (path: string, prefixes: string[]) =>
  prefixes.some((p) => path === p || path.startsWith(`${p}/`));
const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

const plain = (status: number, text: string, headers: Record<string, string>) =>
  new NextResponse(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

/**
 * The body of proxy.ts (Next 16), for every page, RSC and prefetch request (its `config.matcher` must
 * be a literal in proxy.ts: `['/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg).*)']`):
 * - route handlers (`/api/…`) pass untouched: they check the session, refresh and write the cookie
 *   themselves;
 * - pages answer only GET and HEAD (405 with `Allow` otherwise);
 * - the session is refreshed here, the one place before a render that can write the cookie (SPEC §4.3:
 *   server components only read it — a rotated refresh token that is not stored is replayed later, and
 *   reuse detection then ends the grant). The new cookie goes to the browser and, merged into the
 *   request, to the render itself;
 * - protected paths need a session (else sign-in) and the required role (else `forbiddenPath`, 403);
 * - every page gets a Content-Security-Policy with a fresh nonce, which Next puts on its scripts.
 */
export function createPageGuard({ getBff, protectedPaths, forbiddenPath }: PageGuardOptions) {
  return async function proxy(request: NextRequest): Promise<NextResponse> {
    const path = request.nextUrl.pathname;
    if (isApi(path)) return NextResponse.next();
    if (!PAGE_METHODS.includes(request.method)) {
      return plain(405, 'Method not allowed', { Allow: PAGE_METHODS.join(', ') });
    }
    const guarded = isProtected(path, protectedPaths);
    const nonce = createNonce();
    const csp = contentSecurityPolicy(nonce);
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('content-security-policy', csp);
    requestHeaders.set('x-nonce', nonce);

    let lookup: Awaited<ReturnType<Bff['getSession']>> | null;
    try {
      lookup = await getBff().getSession(request);
    } catch {
      // Redis or the provider cannot answer: a private page cannot be shown; a public one renders and
      // reads the session itself (it never refreshes, so nothing is lost).
      if (guarded) {
        return plain(503, 'Sign-in is temporarily unavailable. Try again in a moment.', {
          'Retry-After': '5',
          'Content-Security-Policy': csp,
        });
      }
      lookup = null;
    }
    if (guarded && (!lookup?.authenticated || !lookup.user)) {
      const login = new URL('/api/auth/login', request.nextUrl.origin);
      login.searchParams.set('returnTo', `${path}${request.nextUrl.search}`);
      const response = NextResponse.redirect(login, 303);
      for (const cookie of lookup?.setCookie ?? []) response.headers.append('Set-Cookie', cookie);
      return response;
    }

    const setCookie = lookup?.setCookie ?? [];
    if (setCookie.length)
      requestHeaders.set('cookie', mergeCookies(request.headers.get('cookie'), setCookie));
    const forbidden = guarded && forbiddenPath && lookup?.user && !hasRole(getBff(), lookup.user.roles);
    const response = forbidden
      ? NextResponse.rewrite(new URL(forbiddenPath, request.nextUrl.origin), {
          status: 403,
          request: { headers: requestHeaders },
        })
      : NextResponse.next({ request: { headers: requestHeaders } });
    for (const cookie of setCookie) response.headers.append('Set-Cookie', cookie);
    response.headers.set('Content-Security-Policy', csp);
    // Private pages (and any page showing who is signed in) must not be served from a cache, nor from
    // the back button after sign-out.
    if (guarded || lookup?.authenticated || setCookie.length)
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
