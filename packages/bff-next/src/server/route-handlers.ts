import 'server-only';
import type { Bff } from '@bff-auth/bff-core';

type Params = Record<string, string | string[] | undefined>;

/** The auth endpoints of SPEC §4 as Next route handlers; each file re-exports the one it serves. */
export function authRouteHandlers(getBff: () => Bff) {
  return {
    login: (request: Request) => getBff().handleLogin(request),
    callback: (request: Request) => getBff().handleCallback(request),
    logout: (request: Request) => getBff().handleLogout(request),
    session: (request: Request) => getBff().handleSession(request),
    backchannelLogout: (request: Request) => getBff().handleBackchannelLogout(request),
    events: (request: Request) => getBff().handleEvents(request),
  };
}

/** A declared proxy route (bff-core checks the session, CSRF and the params again here). */
export function proxyRouteHandler(getBff: () => Bff, routeId: string) {
  return async (request: Request, context: { params: Promise<Params> }) =>
    getBff().handleProxy(request, routeId, await context.params);
}

/** `GET /api/ready`: Redis and the provider's discovery reachable (200), else 503; 503 while draining. */
export function readyRouteHandler(getBff: () => Bff) {
  return (request: Request) => getBff().handleReady(request);
}
