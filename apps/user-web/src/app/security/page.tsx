import { getPageUser } from '@bff-auth/bff-next/server';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/security/change-password-form';
import { SessionList } from '@/components/security/session-list';
import { TwoStepCard } from '@/components/security/two-step-card';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';

/** SPEC §12: the user's sessions (end one, or all others), the password change and two-step verification. */
export default async function SecurityPage() {
  // proxy.ts guards this page; checking again here keeps it safe if the matcher ever misses a path.
  const user = await getPageUser(getBff);
  if (!user) redirect('/api/auth/login?returnTo=/security');
  return (
    <>
      <h1>Security</h1>
      <p className="ui-muted">
        Where <strong>{user.email}</strong> is signed in, your password and two-step verification.
      </p>
      <SessionList />
      <ChangePasswordForm />
      <TwoStepCard />
    </>
  );
}
