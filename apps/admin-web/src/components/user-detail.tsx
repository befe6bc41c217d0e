'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { Card } from '@bff-auth/ui/card';
import { ErrorState, Loading } from '@bff-auth/ui/states';
import { useQuery } from '@tanstack/react-query';
import type { AdminUser } from '@/lib/admin-types';
import { formatTime } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { RoleBadges, StatusBadge } from './status-badge';
import { UserActions } from './user-actions';
import { UserNameForm } from './user-name-form';
import { UserRolesForm } from './user-roles-form';
import { UserSessions } from './user-sessions';

/** One user: details, status and sign-out actions, name and roles editors, active sessions. */
export function UserDetail({ id, currentUserId }: { id: string; currentUserId: string }) {
  const query = useQuery({
    queryKey: queryKeys.user(id),
    queryFn: () => apiFetch<AdminUser>(`/api/users/${encodeURIComponent(id)}`),
  });

  if (query.isPending) return <Loading label="Loading the user…" />;
  if (query.isError && !query.data) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <ErrorState
        title={missing ? 'This user does not exist' : 'The user could not be loaded'}
        {...(missing ? {} : { onRetry: () => void query.refetch() })}
      >
        {missing ? (
          <a href="/users">Back to all users</a>
        ) : query.error instanceof ApiError ? (
          query.error.message
        ) : (
          'Try again in a moment.'
        )}
      </ErrorState>
    );
  }
  const user = query.data!.data;
  const self = user.id === currentUserId;

  return (
    <>
      <div className="admin-page-head admin-page-head--row">
        <h1>{user.name || user.email}</h1>
        <StatusBadge disabled={user.disabled} />
        {self ? <span className="ui-muted">This is you</span> : null}
      </div>
      <div className="admin-columns">
        <Card title="Details" actions={<UserActions user={user} self={self} />}>
          <dl className="ui-dl">
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Name</dt>
            <dd>{user.name || <span className="ui-muted">—</span>}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge disabled={user.disabled} />
            </dd>
            <dt>Roles</dt>
            <dd>
              <RoleBadges roles={user.roles} />
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(user.createdAt)}</dd>
            <dt>Last sign-in</dt>
            <dd>{formatTime(user.lastSignInAt, 'Never')}</dd>
            <dt>User id</dt>
            <dd>
              <code className="admin-code">{user.id}</code>
            </dd>
          </dl>
        </Card>
        <UserSessions id={user.id} />
      </div>
      <div className="admin-columns">
        <UserNameForm user={user} />
        <UserRolesForm user={user} self={self} />
      </div>
    </>
  );
}
