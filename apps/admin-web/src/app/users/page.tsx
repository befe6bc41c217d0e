import type { Metadata } from 'next';
import { CreateUserForm } from '@/components/create-user-form';
import { UsersList } from '@/components/users-list';
import { requireAdminPage } from '@/lib/require-admin';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Users · Admin app' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function UsersPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const q = typeof params.q === 'string' ? params.q.slice(0, 200) : '';
  await requireAdminPage(`/users${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);
  return (
    <>
      <div className="admin-page-head">
        <h1>Users</h1>
        <p className="ui-muted">Search, create and manage the accounts that can sign in.</p>
      </div>
      <UsersList initialQuery={q} initialPage={page} />
      <CreateUserForm />
    </>
  );
}
