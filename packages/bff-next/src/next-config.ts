import type { NextConfig } from 'next';
import { securityHeaders } from './security-headers';

/** Workspace packages the apps import as TypeScript source; Next must compile them. */
export const WORKSPACE_PACKAGES = [
  '@bff-auth/bff-core',
  '@bff-auth/bff-next',
  '@bff-auth/ui',
  '@bff-auth/revocation',
  '@bff-auth/service-kit',
];

/**
 * The Next.js configuration both BFF apps share: no `X-Powered-By`, the workspace packages compiled,
 * ioredis, pino, prom-client and the OpenTelemetry SDK left to Node, and the security headers on every response. `extra` is merged on top.
 */
export function bffNextConfig(extra: NextConfig = {}): NextConfig {
  return {
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
      return [{ source: '/:path*', headers: securityHeaders() }];
    },
    ...extra,
  };
}
