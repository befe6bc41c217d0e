import { securityHeaders } from '@bff-auth/bff-next/security-headers';
import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: [
    '@bff-auth/bff-core',
    '@bff-auth/bff-next',
    '@bff-auth/ui',
    '@bff-auth/revocation',
    '@bff-auth/service-kit',
  ],
  serverExternalPackages: ['ioredis', 'pino'],
  typescript: { tsconfigPath: './tsconfig.json' },
  // forbidden() renders app/forbidden.tsx with status 403 for a signed-in user without the admin role.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders() }];
  },
};

export default config;
