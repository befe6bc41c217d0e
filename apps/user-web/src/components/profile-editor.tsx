'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { Alert } from '@bff-auth/ui/alert';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { ErrorState, Loading } from '@bff-auth/ui/states';
import { TextField } from '@bff-auth/ui/text-field';
import { useToast } from '@bff-auth/ui/toast';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';

interface Profile {
  firstName: string;
  lastName: string;
  displayName: string;
  locale: string;
  updatedAt: string;
}
type Editable = Omit<Profile, 'updatedAt'>;
const FIELDS: { name: keyof Editable; label: string; autoComplete: string }[] = [
  { name: 'displayName', label: 'Display name', autoComplete: 'nickname' },
  { name: 'firstName', label: 'First name', autoComplete: 'given-name' },
  { name: 'lastName', label: 'Last name', autoComplete: 'family-name' },
  { name: 'locale', label: 'Locale', autoComplete: 'language' },
];
const KEY = ['profile'];
const STALE_RETRY_MS = 3_000;

/** Profile view and edit: react-query with an optimistic update, 422 field errors, the stale notice. */
export function ProfileEditor() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const query = useQuery({
    queryKey: KEY,
    queryFn: () => apiFetch<Profile>('/api/profile'),
    // While the BFF serves its cached copy, keep asking: fresh data comes back without a reload.
    refetchInterval: (q) => (q.state.data?.stale ? STALE_RETRY_MS : false),
  });
  const [form, setForm] = useState<Editable | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  useEffect(() => {
    if (query.data && !form) setForm(pick(query.data.data));
  }, [query.data, form]);

  const mutation = useMutation({
    mutationFn: (update: Editable) => apiFetch<Profile>('/api/profile', { method: 'PUT', body: update }),
    onMutate: async (update) => {
      setFieldErrors({});
      await queryClient.cancelQueries({ queryKey: KEY });
      const previous = queryClient.getQueryData<{ data: Profile; stale: boolean }>(KEY);
      if (previous) queryClient.setQueryData(KEY, { ...previous, data: { ...previous.data, ...update } });
      return { previous };
    },
    onError: (error, _update, context) => {
      if (context?.previous) queryClient.setQueryData(KEY, context.previous);
      if (error instanceof ApiError && error.status === 422 && error.details) setFieldErrors(error.details);
      toast(error instanceof ApiError ? error.message : 'Saving failed.', 'danger');
    },
    onSuccess: (result) => {
      queryClient.setQueryData(KEY, result);
      setForm(pick(result.data));
      toast('Profile saved', 'success');
    },
  });

  if (query.isPending) return <Loading label="Loading your profile…" />;
  if (query.isError && !query.data) {
    return (
      <ErrorState title="Your profile could not be loaded" onRetry={() => void query.refetch()}>
        {query.error instanceof ApiError ? query.error.message : 'Try again in a moment.'}
      </ErrorState>
    );
  }
  const current = query.data!.data;
  const values = form ?? pick(current);

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate(values);
  }

  return (
    <>
      {query.data?.stale ? (
        <Alert
          tone="warning"
          title="Showing saved data"
          action={
            <Button variant="secondary" onClick={() => void query.refetch()} busy={query.isFetching}>
              Refresh
            </Button>
          }
        >
          The profile service is not answering right now, so this is the last copy we have. Changes cannot be
          saved until it is back.
        </Alert>
      ) : null}
      <Card title="Profile details">
        <form onSubmit={submit} noValidate aria-label="Edit profile">
          <div className="ui-grid-2">
            {FIELDS.map((field) => (
              <TextField
                key={field.name}
                name={field.name}
                label={field.label}
                autoComplete={field.autoComplete}
                value={values[field.name]}
                maxLength={100}
                error={fieldErrors[field.name]?.join(' ')}
                onChange={(e) => setForm({ ...values, [field.name]: e.target.value })}
              />
            ))}
          </div>
          <div className="ui-row">
            <Button type="submit" busy={mutation.isPending}>
              Save changes
            </Button>
            <span className="ui-muted" aria-live="polite">
              Last updated {new Date(current.updatedAt).toLocaleString()}
            </span>
          </div>
        </form>
      </Card>
    </>
  );
}

function pick({ firstName, lastName, displayName, locale }: Profile): Editable {
  return { firstName, lastName, displayName, locale };
}
