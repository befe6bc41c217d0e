'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { Badge } from '@bff-auth/ui/badge';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { ConfirmDialog } from '@bff-auth/ui/confirm-dialog';
import { EmptyState, ErrorState, Loading } from '@bff-auth/ui/states';
import { Table } from '@bff-auth/ui/table';
import { useToast } from '@bff-auth/ui/toast';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

/** One session as user-api describes it (`GET /api/v1/me/sessions`). */
export interface SessionView {
  id: string;
  apps: string[];
  browser: string;
  os: string;
  device: string;
  startedAt: string;
  lastSeenAt: string;
  current: boolean;
}

export const SESSIONS_KEY = ['security', 'sessions'];

type Pending = { kind: 'one'; session: SessionView } | { kind: 'others' } | null;

const when = (iso: string) => new Date(iso).toLocaleString();
const DEVICE_NAMES: Record<string, string> = {
  desktop: 'Computer',
  mobile: 'Phone',
  tablet: 'Tablet',
  tv: 'TV',
};
const failure = (error: unknown) => (error instanceof ApiError ? error.message : 'Try again in a moment.');

/** The user's provider sessions, this one first and marked, with "Sign out" and "Sign out everywhere else". */
export function SessionList() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [pending, setPending] = useState<Pending>(null);
  const query = useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: () => apiFetch<SessionView[]>('/api/security/sessions'),
  });

  const end = useMutation({
    mutationFn: async (target: Exclude<Pending, null>) =>
      target.kind === 'one'
        ? apiFetch(`/api/security/sessions/${encodeURIComponent(target.session.id)}`, { method: 'DELETE' })
        : apiFetch<{ endedSessions: number }>('/api/security/sessions/end-others', { method: 'POST' }),
    onSuccess: (_result, target) => {
      toast(target.kind === 'one' ? 'Session signed out' : 'Signed out everywhere else', 'success');
    },
    onError: (error) => toast(failure(error), 'danger'),
    onSettled: () => {
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
  });

  if (query.isPending) {
    return (
      <Card title="Where you are signed in">
        <Loading label="Loading your sessions…" />
      </Card>
    );
  }
  if (query.isError) {
    return (
      <Card title="Where you are signed in">
        <ErrorState title="Your sessions could not be loaded" onRetry={() => void query.refetch()}>
          {failure(query.error)}
        </ErrorState>
      </Card>
    );
  }
  const sessions = [...query.data.data].sort((a, b) => Number(b.current) - Number(a.current));
  const others = sessions.filter((s) => !s.current).length;

  return (
    <Card title="Where you are signed in">
      <Table<SessionView>
        caption="Your active sessions"
        rows={sessions}
        rowKey={(s) => s.id}
        empty={<EmptyState title="No active sessions">Sessions appear here when you sign in.</EmptyState>}
        columns={[
          {
            key: 'device',
            header: 'Device',
            cell: (s) => (
              <>
                <strong>{s.browser}</strong> on {s.os}{' '}
                {s.current ? <Badge tone="success">This session</Badge> : null}
                <div className="ui-muted">
                  {DEVICE_NAMES[s.device] ?? 'Unknown device'} · {s.apps.join(', ') || 'No app'}
                </div>
              </>
            ),
          },
          { key: 'started', header: 'Started', cell: (s) => when(s.startedAt) },
          { key: 'seen', header: 'Last seen', cell: (s) => when(s.lastSeenAt) },
          {
            key: 'actions',
            header: <span className="ui-visually-hidden">Actions</span>,
            align: 'end',
            cell: (s) =>
              s.current ? null : (
                <Button
                  variant="secondary"
                  aria-label={`Sign out ${s.browser} on ${s.os}`}
                  onClick={() => setPending({ kind: 'one', session: s })}
                >
                  Sign out
                </Button>
              ),
          },
        ]}
      />
      <div className="ui-row">
        <Button variant="danger" disabled={others === 0} onClick={() => setPending({ kind: 'others' })}>
          Sign out everywhere else
        </Button>
        <span className="ui-muted" aria-live="polite">
          {others === 0 ? 'No other sessions.' : `${others} other session${others === 1 ? '' : 's'}.`}
        </span>
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={pending?.kind === 'one' ? 'Sign out this session?' : 'Sign out everywhere else?'}
        confirmLabel="Sign out"
        busy={end.isPending}
        onConfirm={() => pending && end.mutate(pending)}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'one'
          ? `${pending.session.browser} on ${pending.session.os} will be signed out at once.`
          : 'Every other browser and device will be signed out at once. This one stays signed in.'}
      </ConfirmDialog>
    </Card>
  );
}
