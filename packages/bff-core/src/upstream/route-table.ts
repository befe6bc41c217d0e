import { BffConfigError } from '../errors';
import type { ParamRule } from './path-params';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;

/** One declared proxy route. There is no catch-all: only these reach an upstream. */
export interface RouteDefinition {
  method: HttpMethod;
  /** The BFF path pattern, e.g. `/api/users/:id` (used by `matchRoute`). */
  path: string;
  /** Name of an entry of `upstreams`. */
  upstream: string;
  /** Upstream path template, e.g. `/api/v1/users/:id`; its params must be the pattern's. */
  upstreamPath: string;
  /** Extra per-parameter rules, on top of the default validation. */
  params?: Record<string, ParamRule>;
  /** Retries on network errors/502/503/504, GET and HEAD only. Default DEFAULT_MAX_RETRIES (max 2); 0 for other methods. */
  retries?: number;
  /** `'cache'`: serve the user's last good response from Redis when the upstream fails. Default `'none'`. */
  fallback?: 'cache' | 'none';
  /** Pass the browser's query string on. Default false. */
  forwardQuery?: boolean;
}

/** A route checked and ready to use. */
export interface CompiledRoute extends RouteDefinition {
  id: string;
  paramNames: string[];
  retries: number;
  fallback: 'cache' | 'none';
  forwardQuery: boolean;
  matcher: RegExp;
}

const paramNamesOf = (template: string) => [...template.matchAll(PARAM)].map((m) => m[1]!);

/** Validates a route table up front; errors name the route and option. */
export function compileRoutes(
  routes: Record<string, RouteDefinition>,
  upstreamNames: ReadonlySet<string>,
): Map<string, CompiledRoute> {
  const compiled = new Map<string, CompiledRoute>();
  for (const [id, route] of Object.entries(routes)) {
    const where = `routes.${id}`;
    if (!METHODS.includes(route.method))
      throw new BffConfigError(`${where}.method must be one of ${METHODS.join(', ')}`);
    if (!upstreamNames.has(route.upstream)) {
      throw new BffConfigError(`${where}.upstream "${route.upstream}" is not declared in upstreams`);
    }
    for (const [key, value] of [
      ['path', route.path],
      ['upstreamPath', route.upstreamPath],
    ] as const) {
      if (
        typeof value !== 'string' ||
        !value.startsWith('/') ||
        value.startsWith('//') ||
        value.includes('..')
      ) {
        throw new BffConfigError(`${where}.${key} must be an absolute path`);
      }
    }
    const paramNames = paramNamesOf(route.path);
    const upstreamParams = paramNamesOf(route.upstreamPath);
    if (paramNames.sort().join() !== [...upstreamParams].sort().join()) {
      throw new BffConfigError(`${where}.upstreamPath must use exactly the parameters of ${where}.path`);
    }
    const safe = route.method === 'GET' || route.method === 'HEAD';
    const retries = safe ? (route.retries ?? 2) : 0;
    if (!Number.isInteger(retries) || retries < 0 || retries > 2) {
      throw new BffConfigError(`${where}.retries must be 0, 1 or 2`);
    }
    if (route.fallback === 'cache' && route.method !== 'GET') {
      throw new BffConfigError(`${where}.fallback 'cache' applies to GET routes only`);
    }
    const pattern = route.path
      .split('/')
      .map((segment) =>
        segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    compiled.set(id, {
      ...route,
      id,
      paramNames: paramNamesOf(route.path),
      retries,
      fallback: route.fallback ?? 'none',
      forwardQuery: route.forwardQuery ?? false,
      matcher: new RegExp(`^${pattern}$`),
    });
  }
  return compiled;
}

/** Fills an upstream path template with validated, decoded params (each percent-encoded again). */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(PARAM, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}

/**
 * Finds the route for a method and BFF pathname, for apps that mount one generic handler.
 * @returns the route id and raw params, or null.
 */
export function matchRoute(
  routes: ReadonlyMap<string, CompiledRoute>,
  method: string,
  pathname: string,
): { routeId: string; params: Record<string, string> } | null {
  for (const route of routes.values()) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.matcher.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      params[name] = m[i + 1]!;
    });
    return { routeId: route.id, params };
  }
  return null;
}
