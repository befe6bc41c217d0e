'use client';

import { apiFetch } from '@bff-auth/bff-next/client';
import { Badge, type BadgeProps } from '@bff-auth/ui/badge';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { SelectField } from '@bff-auth/ui/select-field';
import { EmptyState } from '@bff-auth/ui/states';
import type { Column } from '@bff-auth/ui/table';
import { TextField } from '@bff-auth/ui/text-field';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { AUDIT_ACTIONS, type AuditEntry, type AuditOutcome, type Page } from '@/lib/admin-types';
import { formatTime, queryString } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { PagedTable } from './paged-table';

const PAGE_SIZE = 25;

interface Filters {
  actor: string;
  target: string;
  action: string;
  outcome: string;
}
const NO_FILTERS: Filters = { actor: '', target: '', action: '', outcome: '' };

const OUTCOME_TONE: Record<AuditOutcome, BadgeProps['tone']> = {
  success: 'success',
  denied: 'danger',
  rejected: 'warning',
  failed: 'danger',
};
const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  ...(['success', 'denied', 'rejected', 'failed'] as const).map((o) => ({ value: o, label: o })),
];

const userLink = (id: string | null) =>
  id ? (
    <a href={`/users/${encodeURIComponent(id)}`} className="admin-code" title={id}>
      {id.length > 13 ? `${id.slice(0, 8)}…` : id}
    </a>
  ) : (
    <span className="ui-muted">—</span>
  );

const COLUMNS: Column<AuditEntry>[] = [
  {
    key: 'time',
    header: 'Time',
    cell: (e) => (
      <time dateTime={e.occurredAt} className="admin-nowrap">
        {formatTime(e.occurredAt, '—', true)}
      </time>
    ),
  },
  { key: 'actor', header: 'Actor', cell: (e) => userLink(e.actorId) },
  { key: 'action', header: 'Action', cell: (e) => <code className="admin-code">{e.action}</code> },
  { key: 'target', header: 'Target', cell: (e) => userLink(e.targetId) },
  {
    key: 'outcome',
    header: 'Outcome',
    cell: (e) => (
      <span title={e.errorCode ? `${e.status} ${e.errorCode}` : String(e.status)}>
        <Badge tone={OUTCOME_TONE[e.outcome] ?? 'neutral'}>{e.outcome}</Badge>
      </span>
    ),
  },
  {
    key: 'requestId',
    header: 'Request id',
    cell: (e) => <code className="admin-code admin-code--small">{e.requestId}</code>,
  },
];

/** The audit log with exact-match filters (actor and target are user ids) and pages; state in the URL. */
export function AuditLog({ initialFilters, initialPage }: { initialFilters: Filters; initialPage: number }) {
  const [draft, setDraft] = useState<Filters>(initialFilters);
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [page, setPage] = useState(initialPage);

  const query = useQuery({
    queryKey: queryKeys.auditList({ ...filters }, page),
    queryFn: () =>
      apiFetch<Page<AuditEntry>>(`/api/audit${queryString({ ...filters, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });

  function go(next: Filters, nextPage: number) {
    setFilters(next);
    setPage(nextPage);
    window.history.replaceState(
      null,
      '',
      `/audit${queryString({ ...next, page: nextPage > 1 ? nextPage : undefined })}`,
    );
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    go(
      {
        actor: draft.actor.trim(),
        target: draft.target.trim(),
        action: draft.action.trim(),
        outcome: draft.outcome,
      },
      1,
    );
  }

  const set = (field: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [field]: e.target.value });
  const filtered = Object.values(filters).some(Boolean);
  const result = query.data?.data;

  return (
    <Card
      title="Entries"
      actions={result ? <span className="ui-muted">{`${result.total} in total`}</span> : null}
    >
      <form onSubmit={apply} noValidate aria-label="Filter the audit log" className="admin-filters">
        <TextField
          label="Actor"
          name="actor"
          placeholder="User id"
          value={draft.actor}
          maxLength={200}
          onChange={set('actor')}
        />
        <TextField
          label="Target"
          name="target"
          placeholder="User id"
          value={draft.target}
          maxLength={200}
          onChange={set('target')}
        />
        <TextField
          label="Action"
          name="action"
          placeholder="users.update"
          list="audit-actions"
          value={draft.action}
          maxLength={64}
          onChange={set('action')}
        />
        <datalist id="audit-actions">
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <SelectField
          label="Outcome"
          name="outcome"
          options={OUTCOMES}
          value={draft.outcome}
          onChange={set('outcome')}
        />
        <div className="admin-filters__buttons">
          <Button type="submit" busy={query.isFetching}>
            Apply filters
          </Button>
          {filtered ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft(NO_FILTERS);
                go(NO_FILTERS, 1);
              }}
            >
              Reset
            </Button>
          ) : null}
        </div>
      </form>
      <PagedTable
        query={query}
        loadingLabel="Loading the audit log…"
        errorTitle="The audit log could not be loaded"
        caption="Audit log entries"
        columns={COLUMNS}
        rowKey={(e) => e.id}
        empty={
          <EmptyState title={filtered ? 'No entries match these filters' : 'No entries yet'}>
            {filtered ? 'Actor and target are exact user ids; action is a name such as users.update.' : null}
          </EmptyState>
        }
        paginationLabel="Audit log pages"
        onPageChange={(next) => go(filters, next)}
      />
    </Card>
  );
}
