import type { NextConfig } from 'next';
import { NON_PAGE_CSP, securityHeaders } from './security-headers';

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
 * ioredis and pino left to Node, and the security headers on every response (the pages' CSP comes from
 * proxy.ts, with a nonce). `extra` is merged on top.
 */
export function bffNextConfig(extra: NextConfig = {}): NextConfig {
  return {
    poweredByHeader: false,
    reactStrictMode: true,
    transpilePackages: WORKSPACE_PACKAGES,
    serverExternalPackages: ['ioredis', 'pino'],
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
