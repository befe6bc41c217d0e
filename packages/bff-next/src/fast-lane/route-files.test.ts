import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adminWebBff } from '../../../../apps/admin-web/src/lib/bff-app';
import { userWebBff } from '../../../../apps/user-web/src/lib/bff-app';
import type { AppBffDefinition } from '../server/app-bff';
import { AUTH_ENDPOINTS } from '../server/auth-endpoints';
import { loadBffEnv } from '../server/env';

const appsDir = fileURLToPath(new URL('../../../../apps', import.meta.url));

/** Every route.ts under a folder, as [url path, source]. */
function routeFiles(dir: string, root = dir): [string, string][] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path, root);
    if (name !== 'route.ts') return [];
    const url = `/${relative(root, dir).split(sep).join('/')}`.replace(/\[([^\]]+)\]/g, ':$1');
    return [[url, readFileSync(path, 'utf8')] as [string, string]];
  });
}

/**
 * The fast lane serves an app's declaration (its route table and AUTH_ENDPOINTS); Next serves its
 * route files. They must say the same, or the two modes would differ: each declared route is exported
 * under its method by the file at its path, and each handler a file exports is declared there.
 */
describe.each([
  ['user-web', userWebBff],
  ['admin-web', adminWebBff],
] as [string, AppBffDefinition][])('%s: route files and the declaration agree', (app, definition) => {
  const files = new Map(routeFiles(join(appsDir, app, 'src', 'app')));
  const routes = definition.proxy(loadBffEnv(definition.app, {})).routes ?? {};

  it('exports every declared proxy route from the file at its path, under its method', () => {
    for (const [id, route] of Object.entries(routes)) {
      expect(files.get(route.path), `${id}: ${route.path}`).toContain(
        `export const ${route.method} = proxyRouteHandler(getBff, '${id}');`,
      );
    }
  });

  it('exports every auth endpoint from the file at its path, under its method', () => {
    for (const [name, endpoint] of Object.entries(AUTH_ENDPOINTS)) {
      expect(files.get(endpoint.path), endpoint.path).toContain(
        `export const ${endpoint.method} = authRouteHandlers(getBff).${name};`,
      );
    }
  });

  it('declares every handler a route file exports, at that path and method, with no wrapper of its own', () => {
    for (const [path, source] of files) {
      for (const [, method, id] of source.matchAll(
        /export const (\w+) = proxyRouteHandler\(getBff, '([^']+)'\)/g,
      )) {
        expect(routes[id!], `${path} ${method} ${id}`).toMatchObject({ path, method });
      }
      for (const [, method, name] of source.matchAll(
        /export const (\w+) = authRouteHandlers\(getBff\)\.(\w+);/g,
      )) {
        expect(
          AUTH_ENDPOINTS[name as keyof typeof AUTH_ENDPOINTS],
          `${path} ${method} ${name}`,
        ).toMatchObject({
          path,
          method,
        });
      }
      // Anything else a file does with these handlers would be served by Next only.
      const uses = (source.match(/(proxyRouteHandler|authRouteHandlers)\(/g) ?? []).length;
      const exports = (source.match(/export const [A-Z]+ = (proxyRouteHandler|authRouteHandlers)\(/g) ?? [])
        .length;
      expect(uses, path).toBe(exports);
    }
  });
});
