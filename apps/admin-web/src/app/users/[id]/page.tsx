import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { UserDetail } from '@/components/user-detail';
import { requireAdminPage } from '@/lib/require-admin';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'User · Admin app' };

// The same shape admin-api accepts; anything else could never name a user.
const USER_ID = /^[A-Za-z0-9_-][A-Za-z0-9._:-]{0,127}$/;

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const me = await requireAdminPage(`/users/${encodeURIComponent(id)}`);
  if (!USER_ID.test(id)) notFound();
  return (
    <>
      <p className="admin-back">
        <a href="/users">← All users</a>
      </p>
      <UserDetail id={id} currentUserId={me.id} />
    </>
  );
}
