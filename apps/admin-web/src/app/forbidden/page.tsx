import { getPageUser } from '@bff-auth/bff-next/server';
import type { Metadata } from 'next';
import { forbidden, redirect } from 'next/navigation';
import { ADMIN_ROLE } from '@/lib/admin-types';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Access denied · Admin app' };

/**
 * `/forbidden`: where the sign-in callback sends a user without the admin role and where proxy.ts
 * rewrites a signed-in one. Needs no session; answers 403 through app/forbidden.tsx. An admin who
 * lands here has nothing to see and goes to the users list.
 */
export default async function ForbiddenPage() {
  const user = await getPageUser(getBff);
  if (user?.roles.includes(ADMIN_ROLE)) redirect('/users');
  forbidden();
}
