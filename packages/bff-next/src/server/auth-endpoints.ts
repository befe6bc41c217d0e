import type { Bff } from '@bff-auth/bff-core';

/** One auth endpoint of SPEC §4: where it lives, the one method it answers, the bff-core handler. */
export interface AuthEndpoint {
  path: string;
  method: 'GET' | 'POST';
  handle: (bff: Bff, request: Request) => Promise<Response>;
}

/**
 * The auth endpoints both apps serve, declared once: the Next route files re-export
 * `authRouteHandlers(getBff).<name>` under `method` at `src/app<path>/route.ts` (a test checks each
 * app's files against this table), and the fast lane serves the same paths and methods.
 */
export const AUTH_ENDPOINTS = {
  login: { path: '/api/auth/login', method: 'GET', handle: (bff, r) => bff.handleLogin(r) },
  callback: { path: '/api/auth/callback', method: 'GET', handle: (bff, r) => bff.handleCallback(r) },
  logout: { path: '/api/auth/logout', method: 'POST', handle: (bff, r) => bff.handleLogout(r) },
  session: { path: '/api/auth/session', method: 'GET', handle: (bff, r) => bff.handleSession(r) },
  backchannelLogout: {
    path: '/api/auth/backchannel-logout',
    method: 'POST',
    handle: (bff, r) => bff.handleBackchannelLogout(r),
  },
  events: { path: '/api/auth/events', method: 'GET', handle: (bff, r) => bff.handleEvents(r) },
} as const satisfies Record<string, AuthEndpoint>;

export type AuthEndpointName = keyof typeof AUTH_ENDPOINTS;

/**
 * An app's own answer in place of an auth endpoint's, given bff-core's (admin-web sends a user without
 * the admin role from the callback to its 403 page). Declared with the app's BFF, so both modes apply it.
 */
export type AuthResponseHooks = Partial<Record<AuthEndpointName, (response: Response) => Promise<Response>>>;

/** Runs one auth endpoint for `request`, then the app's hook for it, if any. */
export async function answerAuthEndpoint(
  bff: Bff,
  name: AuthEndpointName,
  request: Request,
  hooks: AuthResponseHooks = {},
): Promise<Response> {
  const response = await AUTH_ENDPOINTS[name].handle(bff, request);
  const hook = hooks[name];
  return hook ? hook(response) : response;
}
