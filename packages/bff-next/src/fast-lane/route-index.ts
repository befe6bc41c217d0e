import type { Bff } from '@bff-auth/bff-core';
import {
  AUTH_ENDPOINTS,
  type AuthEndpointName,
  type AuthResponseHooks,
  answerAuthEndpoint,
} from '../server/auth-endpoints';

type Params = Record<string, string>;

/** What the fast lane does with a request it takes: the bff-core call and its metrics label. */
export interface FastLaneRoute {
  /** `http_request_duration_seconds` label: the route id, or the auth endpoint's path (as in Next). */
  label: string;
  handle: (bff: Bff, request: Request, params: Params) => Promise<Response>;
}

interface PatternRoute {
  method: string;
  matcher: RegExp;
  paramNames: string[];
  route: FastLaneRoute;
}

/** Finds the declared route for a method and raw path (no query), or null: Next serves the request. */
export type RouteLookup = (
  method: string,
  pathname: string,
) => { route: FastLaneRoute; params: Params } | null;

const NO_PARAMS: Params = Object.freeze({}) as Params;

/**
 * The requests the fast lane takes: exactly the method and path of each declared proxy route of the
 * app's BFF (its compiled route table, the one the Next route files name by id) and of each auth
 * endpoint (AUTH_ENDPOINTS, with the app's `authResponses` hooks). Anything else — another method on those paths (Next answers 405 as it
 * always did), a trailing slash, another spelling, pages, assets — goes to Next unchanged. Path params
 * are handed over raw, as matched; bff-core validates them in every form (`validatePathParam`).
 */
export function createRouteLookup(bff: Bff, hooks: AuthResponseHooks = {}): RouteLookup {
  const exact = new Map<string, FastLaneRoute>();
  const patterns: PatternRoute[] = [];
  for (const [name, endpoint] of Object.entries(AUTH_ENDPOINTS) as [
    AuthEndpointName,
    { path: string; method: string },
  ][]) {
    exact.set(`${endpoint.method} ${endpoint.path}`, {
      label: endpoint.path,
      handle: (b, request) => answerAuthEndpoint(b, name, request, hooks),
    });
  }
  for (const compiled of bff.context.proxy.routes.values()) {
    const route: FastLaneRoute = {
      label: compiled.id,
      handle: (b, request, params) => b.handleProxy(request, compiled.id, params),
    };
    if (compiled.paramNames.length === 0) exact.set(`${compiled.method} ${compiled.path}`, route);
    else
      patterns.push({
        method: compiled.method,
        matcher: compiled.matcher,
        paramNames: compiled.paramNames,
        route,
      });
  }
  return (method, pathname) => {
    const hit = exact.get(`${method} ${pathname}`);
    if (hit) return { route: hit, params: NO_PARAMS };
    for (const p of patterns) {
      if (p.method !== method) continue;
      const m = p.matcher.exec(pathname);
      if (!m) continue;
      const params: Params = {};
      p.paramNames.forEach((name, i) => {
        params[name] = m[i + 1]!;
      });
      return { route: p.route, params };
    }
    return null;
  };
}
