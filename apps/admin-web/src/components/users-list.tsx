'use client';

import { apiFetch } from '@bff-auth/bff-next/client';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { EmptyState } from '@bff-auth/ui/states';
import type { Column } from '@bff-auth/ui/table';
import { TextField } from '@bff-auth/ui/text-field';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AdminUser, Page } from '@/lib/admin-types';
import { formatTime, queryString } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { PagedTable } from './paged-table';
import { RoleBadges, StatusBadge } from './status-badge';

const PAGE_SIZE = 20;

const COLUMNS: Column<AdminUser>[] = [
  {
    key: 'email',
    header: 'Email',
    cell: (user) => <a href={`/users/${encodeURIComponent(user.id)}`}>{user.email}</a>,
  },
  { key: 'name', header: 'Name', cell: (user) => user.name || <span className="ui-muted">—</span> },
  { key: 'roles', header: 'Roles', cell: (user) => <RoleBadges roles={user.roles} /> },
  { key: 'status', header: 'Status', cell: (user) => <StatusBadge disabled={user.disabled} /> },
  {
    key: 'lastSignInAt',
    header: 'Last sign-in',
    cell: (user) => <span className="admin-nowrap">{formatTime(user.lastSignInAt, 'Never')}</span>,
  },
];

/** Search (on submit), the users table and Previous / Next; the query and page live in the URL. */
export function UsersList({ initialQuery, initialPage }: { initialQuery: string; initialPage: number }) {
  const [draft, setDraft] = useState(initialQuery);
  const [q, setQ] = useState(initialQuery);
  const [page, setPage] = useState(initialPage);

  const query = useQuery({
    queryKey: queryKeys.userList(q, page),
    queryFn: () => apiFetch<Page<AdminUser>>(`/api/users${queryString({ q, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });

  function go(nextQ: string, nextPage: number) {
    setQ(nextQ);
    setPage(nextPage);
    window.history.replaceState(
      null,
      '',
      `/users${queryString({ q: nextQ, page: nextPage > 1 ? nextPage : undefined })}`,
    );
  }

  function search(event: FormEvent) {
    event.preventDefault();
    go(draft.trim(), 1);
  }

  const result = query.data?.data;

  return (
    <Card
      title="All users"
      actions={result ? <span className="ui-muted">{`${result.total} in total`}</span> : null}
    >
      <search aria-label="User search">
        <form onSubmit={search} className="admin-toolbar">
          <TextField
            label="Search users"
            type="search"
            name="q"
            value={draft}
            maxLength={200}
            placeholder="Email or name"
            onChange={(e) => setDraft(e.target.value)}
          />
          <Button type="submit" busy={query.isFetching}>
            Search
          </Button>
          {q ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft('');
                go('', 1);
              }}
            >
              Clear
            </Button>
          ) : null}
        </form>
      </search>
      <PagedTable
        query={query}
        loadingLabel="Loading users…"
        errorTitle="The users could not be loaded"
        caption={q ? `Users matching “${q}”` : 'Users'}
        columns={COLUMNS}
        rowKey={(user) => user.id}
        empty={
          <EmptyState title={q ? 'No users match your search' : 'No users yet'}>
            {q ? 'Try another email or name.' : 'Create the first one below.'}
          </EmptyState>
        }
        paginationLabel="Users pages"
        onPageChange={(next) => go(q, next)}
      />
    </Card>
  );
}
