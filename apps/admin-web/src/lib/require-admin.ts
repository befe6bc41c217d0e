import 'server-only';
import type { SessionUser } from '@bff-auth/bff-core';
import { getPageUser } from '@bff-auth/bff-next/server';
import { forbidden, redirect } from 'next/navigation';
import { ADMIN_ROLE } from './admin-types';
import { getBff } from './bff';

/**
 * The signed-in admin for a server page. proxy.ts guards these pages already; checking again here keeps
 * them safe if the matcher ever misses a path. No session → sign-in; no admin role → the 403 page.
 */
export async function requireAdminPage(returnTo: string): Promise<SessionUser> {
  const user = await getPageUser(getBff);
  if (!user) redirect(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (!user.roles.includes(ADMIN_ROLE)) forbidden();
  return user;
}
