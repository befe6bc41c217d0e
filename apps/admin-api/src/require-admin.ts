import { AppError } from '@bff-auth/service-kit/errors';
import type { AuthEnv } from '@bff-auth/token-verifier';
import type { MiddlewareHandler } from 'hono';

/** The role every admin-api route requires (SPEC §6). */
export const ADMIN_ROLE = 'admin';

/** 403 unless the verified token carries the admin role. */
export function requireAdmin(): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!c.var.auth.roles.includes(ADMIN_ROLE)) {
      throw new AppError(403, 'forbidden', 'This requires the admin role');
    }
    await next();
  };
}
