import { getPageUser } from '@bff-auth/bff-next/server';
import { redirect } from 'next/navigation';
import { ProfileEditor } from '@/components/profile-editor';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';

export default async function ProfilePage() {
  // proxy.ts guards this page; checking again here keeps it safe if the matcher ever misses a path.
  const user = await getPageUser(getBff);
  if (!user) redirect('/api/auth/login?returnTo=/profile');
  return (
    <>
      <h1>Your profile</h1>
      <p className="ui-muted">
        Signed in as <strong>{user.email}</strong>
      </p>
      <ProfileEditor />
    </>
  );
}
