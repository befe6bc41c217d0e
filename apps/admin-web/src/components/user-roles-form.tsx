'use client';

import { ApiError } from '@bff-auth/bff-next/client';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { CheckboxGroup } from '@bff-auth/ui/checkbox-group';
import { type FormEvent, useState } from 'react';
import { ADMIN_ROLE, type AdminUser, KNOWN_ROLES } from '@/lib/admin-types';
import { firstFieldErrors } from '@/lib/format';
import { useUserAction } from '@/lib/use-user-action';

const same = (a: string[], b: string[]) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * Grants and removes roles (PATCH `{ roles }`); the change reaches the user's sessions on their next
 * request. Roles other than user/admin that the user holds are listed too, so saving keeps them.
 * An admin cannot take the admin role from themselves here.
 */
export function UserRolesForm({ user, self }: { user: AdminUser; self: boolean }) {
  const [draft, setDraft] = useState<{ base: string[]; value: string[] }>({
    base: user.roles,
    value: user.roles,
  });
  const [error, setError] = useState<string | undefined>();
  const value = same(draft.base, user.roles) ? draft.value : user.roles;
  const options = [...new Set<string>([...KNOWN_ROLES, ...user.roles])].map((role) => ({
    value: role,
    disabled: self && role === ADMIN_ROLE,
  }));

  const save = useUserAction<{ roles: string[] }, AdminUser>({
    id: user.id,
    path: '',
    method: 'PATCH',
    success: (updated) => `Roles saved: ${updated.roles.join(', ') || 'none'}`,
    onError: (e) => setError(e instanceof ApiError ? firstFieldErrors(e.details).roles : undefined),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    save.mutate({ roles: value });
  }

  return (
    <Card title="Access">
      <form onSubmit={submit} noValidate aria-label="Edit roles">
        <CheckboxGroup
          legend="Roles"
          name="roles"
          options={options}
          value={value}
          error={error}
          hint={self ? 'You cannot remove your own admin role.' : 'Takes effect on their next request.'}
          onChange={(roles) => setDraft({ base: user.roles, value: roles })}
        />
        <Button type="submit" busy={save.isPending} disabled={same(value, user.roles)}>
          Save roles
        </Button>
      </form>
    </Card>
  );
}
