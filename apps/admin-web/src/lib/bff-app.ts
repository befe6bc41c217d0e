import type { AppBffDefinition } from '@bff-auth/bff-next/server';
import { ACR } from '@bff-auth/claims';
import { ADMIN_ROLE } from './admin-types';
import { forbiddenAsRedirect } from './forbidden-redirect';

const ADMIN_API = 'admin-api';
const users = '/api/v1/admin/users';

/**
 * admin-web's BFF: client `admin-web`, role `admin` required, the admin routes of SPEC §5. Declared
 * once, for the Next route handlers (src/lib/bff.ts) and the fast lane (server.ts) alike.
 */
export const adminWebBff: AppBffDefinition = {
  app: 'admin',
  clientId: 'admin-web',
  requiredRole: ADMIN_ROLE,
  // A sign-in with the second factor: the step-up admin-api asks for.
  stepUp: { acrValues: [ACR.twoStep] },
  // The sign-in callback sends a user without the admin role to the 403 page (no session is kept).
  authResponses: { callback: forbiddenAsRedirect },
  proxy: (env) => ({
    upstreams: { [ADMIN_API]: { url: env.apiUrl, connectTimeoutMs: 5_000, readTimeoutMs: 30_000 } },
    routes: {
      'users.list': {
        method: 'GET',
        path: '/api/users',
        upstream: ADMIN_API,
        upstreamPath: users,
        forwardQuery: true,
      },
      'users.create': { method: 'POST', path: '/api/users', upstream: ADMIN_API, upstreamPath: users },
      'users.get': {
        method: 'GET',
        path: '/api/users/:id',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id`,
      },
      'users.update': {
        method: 'PATCH',
        path: '/api/users/:id',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id`,
      },
      'users.sessions': {
        method: 'GET',
        path: '/api/users/:id/sessions',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id/sessions`,
      },
      'users.disable': {
        method: 'POST',
        path: '/api/users/:id/disable',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id/disable`,
      },
      'users.enable': {
        method: 'POST',
        path: '/api/users/:id/enable',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id/enable`,
      },
      'users.logout': {
        method: 'POST',
        path: '/api/users/:id/logout',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id/logout`,
      },
      'users.password_reset.send': {
        method: 'POST',
        path: '/api/users/:id/password-reset',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id/password-reset`,
      },
      'users.password_change.require': {
        method: 'POST',
        path: '/api/users/:id/require-password-change',
        upstream: ADMIN_API,
        upstreamPath: `${users}/:id/require-password-change`,
      },
      'audit.list': {
        method: 'GET',
        path: '/api/audit',
        upstream: ADMIN_API,
        upstreamPath: '/api/v1/admin/audit',
        forwardQuery: true,
      },
    },
  }),
};
