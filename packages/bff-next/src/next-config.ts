import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NextConfig } from 'next';
import { NON_PAGE_CSP, securityHeaders } from './security-headers';

/**
 * Set by the Dockerfiles' build stage: `NEXT_OUTPUT=standalone` builds `.next/standalone` (a server.js
 * with only the node_modules it traces). Not the default, because `next start` — `npm start` and the
 * e2e suite — warns that it "does not work" with a standalone build.
 */
export const STANDALONE_ENV = 'NEXT_OUTPUT';

/** The monorepo root (the nearest package.json with `workspaces`): standalone tracing must start there. */
export function workspaceRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in JSON.parse(readFileSync(manifest, 'utf8'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** Workspace packages the apps import as TypeScript source; Next must compile them. */
export const WORKSPACE_PACKAGES = [
  '@bff-auth/bff-core',
  '@bff-auth/bff-next',
  '@bff-auth/ui',
  '@bff-auth/revocation',
  '@bff-auth/claims',
  '@bff-auth/service-kit',
];

/**
 * The Next.js configuration both BFF apps share: no `X-Powered-By`, the workspace packages compiled,
 * ioredis, pino, prom-client and the OpenTelemetry SDK left to Node, and the security headers on every
 * response (the pages' CSP comes from proxy.ts, with a nonce). `extra` is merged on top. With
 * `NEXT_OUTPUT=standalone` in the environment of `next build`: `output: 'standalone'`, traced from the
 * monorepo root (see deploy/README.md).
 */
export function bffNextConfig(
  extra: NextConfig = {},
  env: Record<string, string | undefined> = process.env,
): NextConfig {
  const standalone: NextConfig =
    env[STANDALONE_ENV] === 'standalone'
      ? { output: 'standalone', outputFileTracingRoot: workspaceRoot() }
      : {};
  return {
    ...standalone,
    poweredByHeader: false,
    reactStrictMode: true,
    transpilePackages: WORKSPACE_PACKAGES,
    // Node-only libraries with native or dynamic requires: loaded from node_modules, not bundled.
    serverExternalPackages: [
      'ioredis',
      'pino',
      'prom-client',
      '@opentelemetry/sdk-node',
      '@opentelemetry/exporter-trace-otlp-http',
      '@opentelemetry/exporter-trace-otlp-proto',
      '@opentelemetry/instrumentation-undici',
    ],
    typescript: { tsconfigPath: './tsconfig.json' },
    async headers() {
      return [
        { source: '/:path*', headers: securityHeaders() },
        // Pages get a CSP with a fresh nonce from proxy.ts; route handlers answer JSON and run nothing.
        { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: NON_PAGE_CSP }] },
      ];
    },
    ...extra,
  };
}
