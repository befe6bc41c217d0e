'use client';

import { Button } from '@bff-auth/ui/button';
import { ConfirmDialog } from '@bff-auth/ui/confirm-dialog';
import { useState } from 'react';
import type { AdminUser } from '@/lib/admin-types';
import { useUserAction } from '@/lib/use-user-action';

/**
 * Disable / Enable (takes effect on the user's next request), Send password reset (a single-use link
 * mailed to the user, 30 minutes), Require password change (asked at the user's next sign-in) and Force
 * logout (every session, in every app, after a confirmation). An admin cannot disable themselves here: nobody could enable them again.
 */
export function UserActions({ user, self }: { user: AdminUser; self: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const disable = useUserAction({
    id: user.id,
    path: '/disable',
    method: 'POST',
    success: () => `${user.email} is disabled`,
  });
  const enable = useUserAction({
    id: user.id,
    path: '/enable',
    method: 'POST',
    success: () => `${user.email} is enabled`,
  });
  const logout = useUserAction<void, { revokedSessions: number }>({
    id: user.id,
    path: '/logout',
    method: 'POST',
    success: ({ revokedSessions }) =>
      `${user.email} was signed out of ${revokedSessions} session${revokedSessions === 1 ? '' : 's'}`,
  });

  const reset = useUserAction<void, { sent: true }>({
    id: user.id,
    path: '/password-reset',
    method: 'POST',
    success: () => `A password reset link was sent to ${user.email}`,
  });

  const requireChange = useUserAction<void, { passwordChangeRequired: true }>({
    id: user.id,
    path: '/require-password-change',
    method: 'POST',
    success: () => `${user.email} will choose a new password at their next sign-in`,
  });

  return (
    <>
      {user.disabled ? (
        <Button variant="secondary" busy={enable.isPending} onClick={() => enable.mutate()}>
          Enable
        </Button>
      ) : (
        <Button
          variant="secondary"
          busy={disable.isPending}
          disabled={self}
          title={self ? 'You cannot disable your own account' : undefined}
          onClick={() => disable.mutate()}
        >
          Disable
        </Button>
      )}
      <Button
        variant="secondary"
        busy={reset.isPending}
        disabled={user.disabled}
        title={user.disabled ? 'Enable the account before sending it a password reset' : undefined}
        onClick={() => reset.mutate()}
      >
        Send password reset
      </Button>
      <Button variant="secondary" busy={requireChange.isPending} onClick={() => requireChange.mutate()}>
        Require password change
      </Button>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Force logout
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere?"
        confirmLabel="Force logout"
        busy={logout.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => logout.mutate(undefined, { onSettled: () => setConfirming(false) })}
      >
        <p>
          This ends every session of <strong>{user.email}</strong> in the user app and the admin app. Open
          pages leave within a second; they can sign in again unless the account is disabled.
          {self ? ' This includes your own session here.' : ''}
        </p>
      </ConfirmDialog>
    </>
  );
}
