'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { PASSWORD_RULE_HINT } from '@bff-auth/service-kit/password-rule';
import { Alert } from '@bff-auth/ui/alert';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { TextField } from '@bff-auth/ui/text-field';
import { useToast } from '@bff-auth/ui/toast';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { SESSIONS_KEY } from './session-list';

const EMPTY = { currentPassword: '', newPassword: '', confirmPassword: '' };

/**
 * Change password: the current one is required; the new one is checked by the one strength rule at the
 * server (its messages shown under the field). Every other session ends; this one stays.
 */
export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [done, setDone] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: ({ currentPassword, newPassword }: typeof EMPTY) =>
      apiFetch<{ endedSessions: number }>('/api/security/password', {
        method: 'POST',
        body: { currentPassword, newPassword },
      }),
    onSuccess: ({ data }) => {
      setValues(EMPTY);
      const others = data.endedSessions;
      setDone(
        `Your password was changed.${others > 0 ? ` ${others} other session${others === 1 ? ' was' : 's were'} signed out.` : ''}`,
      );
      toast('Password changed', 'success');
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.details) setErrors(error.details);
      else toast(error instanceof ApiError ? error.message : 'The password could not be changed.', 'danger');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (values.newPassword !== values.confirmPassword) {
      setErrors({ confirmPassword: ['The two new passwords differ'] });
      return;
    }
    setErrors({});
    mutation.mutate(values);
  }
  const field = (name: keyof typeof EMPTY) => ({
    name,
    type: 'password',
    value: values[name],
    required: true,
    error: errors[name]?.join(' '),
    onChange: (e: { target: { value: string } }) => setValues({ ...values, [name]: e.target.value }),
  });

  return (
    <Card title="Change password">
      {done ? (
        <Alert tone="success" title="Password changed">
          {done}
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate aria-label="Change password">
        <TextField label="Current password" autoComplete="current-password" {...field('currentPassword')} />
        <div className="ui-grid-2">
          <TextField
            label="New password"
            autoComplete="new-password"
            hint={PASSWORD_RULE_HINT}
            {...field('newPassword')}
          />
          <TextField label="Repeat new password" autoComplete="new-password" {...field('confirmPassword')} />
        </div>
        <div className="ui-row">
          <Button type="submit" busy={mutation.isPending}>
            Change password
          </Button>
          <span className="ui-muted">Your other sessions will be signed out.</span>
        </div>
      </form>
    </Card>
  );
}
