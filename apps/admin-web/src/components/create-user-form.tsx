'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { PASSWORD_MIN_LENGTH, PASSWORD_RULE_HINT } from '@bff-auth/service-kit/password-rule';
import { Alert } from '@bff-auth/ui/alert';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { CheckboxGroup } from '@bff-auth/ui/checkbox-group';
import { TextField } from '@bff-auth/ui/text-field';
import { useToast } from '@bff-auth/ui/toast';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type AdminUser, KNOWN_ROLES } from '@/lib/admin-types';
import { firstFieldErrors } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';

interface NewUser {
  email: string;
  name: string;
  password: string;
  roles: string[];
}

const EMPTY: NewUser = { email: '', name: '', password: '', roles: ['user'] };
const ROLE_OPTIONS = KNOWN_ROLES.map((value) => ({ value }));

/** Creates a user: 422 field errors under their fields, 409 `email_taken` under Email. */
export function CreateUserForm() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<NewUser>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<AdminUser | null>(null);

  const mutation = useMutation({
    mutationFn: (input: NewUser) => apiFetch<AdminUser>('/api/users', { method: 'POST', body: input }),
    onMutate: () => {
      setErrors({});
      setCreated(null);
    },
    onSuccess: ({ data }) => {
      setForm(EMPTY);
      setCreated(data);
      toast(`Created ${data.email}`, 'success');
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
      void queryClient.invalidateQueries({ queryKey: queryKeys.audit });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'email_taken') {
        setErrors({ email: error.message || 'A user with this email already exists' });
      } else if (error instanceof ApiError && error.status === 422 && error.details) {
        setErrors(firstFieldErrors(error.details));
        toast('Check the highlighted fields.', 'danger');
        return;
      }
      toast(error instanceof ApiError ? error.message : 'The user could not be created.', 'danger');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate({ ...form, email: form.email.trim(), name: form.name.trim() });
  }

  const set = (field: keyof NewUser) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });

  return (
    <Card title="New user">
      {created ? (
        <Alert tone="success" title={`${created.email} was created`}>
          <a href={`/users/${encodeURIComponent(created.id)}`}>Open their page</a> to manage roles and
          sessions.
        </Alert>
      ) : null}
      {errors._ ? <Alert tone="danger">{errors._}</Alert> : null}
      <form onSubmit={submit} noValidate aria-label="Create a user">
        <div className="admin-form-grid">
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="off"
            required
            maxLength={254}
            value={form.email}
            error={errors.email}
            onChange={set('email')}
          />
          <TextField
            label="Name"
            name="name"
            autoComplete="off"
            required
            maxLength={100}
            value={form.name}
            error={errors.name}
            onChange={set('name')}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            hint={`${PASSWORD_RULE_HINT} Share it with the person safely.`}
            value={form.password}
            error={errors.password}
            onChange={set('password')}
          />
          <CheckboxGroup
            legend="Roles"
            name="roles"
            options={ROLE_OPTIONS}
            value={form.roles}
            error={errors.roles}
            onChange={(roles) => setForm({ ...form, roles })}
          />
        </div>
        <Button type="submit" busy={mutation.isPending}>
          Create user
        </Button>
      </form>
    </Card>
  );
}
