import { getPageUser } from '@bff-auth/bff-next/server';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/security/change-password-form';
import { SessionList } from '@/components/security/session-list';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';

/** SPEC §12: the user's sessions (end one, or all others) and the password change. */
export default async function SecurityPage() {
  // proxy.ts guards this page; checking again here keeps it safe if the matcher ever misses a path.
  const user = await getPageUser(getBff);
  if (!user) redirect('/api/auth/login?returnTo=/security');
  return (
    <>
      <h1>Security</h1>
      <p className="ui-muted">
        Where <strong>{user.email}</strong> is signed in, and your password.
      </p>
      <SessionList />
      <ChangePasswordForm />
    </>
  );
}
