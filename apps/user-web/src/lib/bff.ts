import 'server-only';
import { defineAppBff } from '@bff-auth/bff-next/server';

/** user-web's BFF: client `user-web`, one upstream (user-api), the profile routes of SPEC §5. */
export const getBff = defineAppBff({
  app: 'user',
  clientId: 'user-web',
  proxy: (env) => ({
    upstreams: { 'user-api': { url: env.apiUrl, connectTimeoutMs: 3_000, readTimeoutMs: 10_000 } },
    routes: {
      'profile.get': {
        method: 'GET',
        path: '/api/profile',
        upstream: 'user-api',
        upstreamPath: '/api/v1/profiles/me',
        fallback: 'cache',
      },
      'profile.update': {
        method: 'PUT',
        path: '/api/profile',
        upstream: 'user-api',
        upstreamPath: '/api/v1/profiles/me',
      },
    },
  }),
});
