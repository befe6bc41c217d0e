import type { Metadata } from 'next';
import { AuditLog } from '@/components/audit-log';
import { requireAdminPage } from '@/lib/require-admin';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log · Admin app' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const FILTERS = ['actor', 'target', 'action', 'outcome'] as const;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdminPage('/audit');
  const params = await searchParams;
  const filters = Object.fromEntries(
    FILTERS.map((key) => [key, typeof params[key] === 'string' ? params[key].slice(0, 200) : '']),
  ) as Record<(typeof FILTERS)[number], string>;
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);
  return (
    <>
      <div className="admin-page-head">
        <h1>Audit log</h1>
        <p className="ui-muted">Every admin action, newest first: who did what to whom, and how it ended.</p>
      </div>
      <AuditLog initialFilters={filters} initialPage={page} />
    </>
  );
}
