import { createPageGuard } from '@bff-auth/bff-next/server';
import { getBff } from './lib/bff';

/** Admin pages need a session (else sign-in) and the admin role (else the 403 page, status 403). */
export const proxy = createPageGuard({
  getBff,
  protectedPaths: ['/users', '/audit'],
  forbiddenPath: '/forbidden',
});

export const config = { matcher: ['/users', '/users/:path*', '/audit', '/audit/:path*'] };
