'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { Badge } from '@bff-auth/ui/badge';
import { Card } from '@bff-auth/ui/card';
import { EmptyState, ErrorState, Loading } from '@bff-auth/ui/states';
import { type Column, Table } from '@bff-auth/ui/table';
import { useQuery } from '@tanstack/react-query';
import type { UserSession } from '@/lib/admin-types';
import { formatTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';

const CLIENT_NAMES: Record<string, string> = { 'user-web': 'User app', 'admin-web': 'Admin app' };

const COLUMNS: Column<UserSession>[] = [
  {
    key: 'clients',
    header: 'Apps',
    cell: (s) =>
      s.clients.length ? (
        <span className="admin-badges">
          {s.clients.map((c) => (
            <Badge key={c}>{CLIENT_NAMES[c] ?? c}</Badge>
          ))}
        </span>
      ) : (
        <span className="ui-muted">None</span>
      ),
  },
  {
    key: 'createdAt',
    header: 'Started',
    cell: (s) => <span className="admin-nowrap">{formatTime(s.createdAt)}</span>,
  },
  {
    key: 'expiresAt',
    header: 'Expires',
    cell: (s) => <span className="admin-nowrap">{formatTime(s.expiresAt)}</span>,
  },
];

/** The user's sessions at the provider (one per browser sign-in, shared by both apps). */
export function UserSessions({ id }: { id: string }) {
  const query = useQuery({
    queryKey: queryKeys.sessions(id),
    queryFn: () => apiFetch<UserSession[]>(`/api/users/${encodeURIComponent(id)}/sessions`),
  });
  const sessions = query.data?.data;
  return (
    <Card title="Active sessions">
      {query.isPending ? (
        <Loading label="Loading sessions…" />
      ) : query.isError && !sessions ? (
        <ErrorState title="The sessions could not be loaded" onRetry={() => void query.refetch()}>
          {query.error instanceof ApiError ? query.error.message : 'Try again in a moment.'}
        </ErrorState>
      ) : sessions?.length ? (
        <div className="admin-compact">
          <Table caption="Active sessions" columns={COLUMNS} rows={sessions} rowKey={(s) => s.sid} />
        </div>
      ) : (
        <EmptyState title="No active sessions">They are not signed in anywhere right now.</EmptyState>
      )}
    </Card>
  );
}
