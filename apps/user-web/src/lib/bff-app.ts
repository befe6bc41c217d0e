import type { AppBffDefinition } from '@bff-auth/bff-next/server';

/**
 * user-web's BFF: client `user-web`, one upstream (user-api), the profile (SPEC §5) and security (§12)
 * routes. Declared once, for the Next route handlers (src/lib/bff.ts) and the fast lane (server.ts) alike.
 */
export const userWebBff: AppBffDefinition = {
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
      // The Security page. user-api acts for the token's `sub` and marks "this session" by its `sid`: the
      // browser never names a user, and a session only by the id user-api listed for this user.
      'security.sessions.list': {
        method: 'GET',
        path: '/api/security/sessions',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/sessions',
      },
      'security.sessions.end': {
        method: 'DELETE',
        path: '/api/security/sessions/:id',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/sessions/:id',
      },
      'security.sessions.endOthers': {
        method: 'POST',
        path: '/api/security/sessions/end-others',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/sessions/end-others',
      },
      'security.password.change': {
        method: 'POST',
        path: '/api/security/password',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/password',
      },
      // Two-step verification: the secret and QR code come from the auth service through user-api, for
      // the token's user only; the codes the user types go the same way.
      'security.twoStep.status': {
        method: 'GET',
        path: '/api/security/two-step',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/two-step',
      },
      'security.twoStep.enrol': {
        method: 'POST',
        path: '/api/security/two-step/enrolment',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/two-step/enrolment',
      },
      'security.twoStep.confirm': {
        method: 'POST',
        path: '/api/security/two-step/confirm',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/two-step/confirm',
      },
      'security.twoStep.disable': {
        method: 'POST',
        path: '/api/security/two-step/disable',
        upstream: 'user-api',
        upstreamPath: '/api/v1/me/two-step/disable',
      },
    },
  }),
};
