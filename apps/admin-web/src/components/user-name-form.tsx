'use client';

import { ApiError } from '@bff-auth/bff-next/client';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { TextField } from '@bff-auth/ui/text-field';
import { type FormEvent, useState } from 'react';
import type { AdminUser } from '@/lib/admin-types';
import { firstFieldErrors } from '@/lib/format';
import { useUserAction } from '@/lib/use-user-action';

/** Renames a user (PATCH `{ name }`); 422 messages show under the field. */
export function UserNameForm({ user }: { user: AdminUser }) {
  const saved = user.name ?? '';
  const [draft, setDraft] = useState<{ base: string; value: string }>({ base: saved, value: saved });
  const [error, setError] = useState<string | undefined>();
  // A newer saved name (after a save or a refetch) replaces an untouched draft.
  const value = draft.base === saved ? draft.value : saved;

  const save = useUserAction<{ name: string }, AdminUser>({
    id: user.id,
    path: '',
    method: 'PATCH',
    success: (updated) => `Name saved: ${updated.name ?? ''}`,
    onError: (e) => setError(e instanceof ApiError ? firstFieldErrors(e.details).name : undefined),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    save.mutate({ name: value.trim() });
  }

  return (
    <Card title="Name">
      <form onSubmit={submit} noValidate aria-label="Edit name">
        <TextField
          label="Name"
          name="name"
          autoComplete="off"
          maxLength={100}
          hint="Shown in both apps after their next sign-in."
          value={value}
          error={error}
          onChange={(e) => setDraft({ base: saved, value: e.target.value })}
        />
        <Button type="submit" busy={save.isPending} disabled={value.trim() === saved}>
          Save name
        </Button>
      </form>
    </Card>
  );
}
