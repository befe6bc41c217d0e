'use client';

import { ApiError, apiFetch } from '@bff-auth/bff-next/client';
import { Alert } from '@bff-auth/ui/alert';
import { Badge } from '@bff-auth/ui/badge';
import { Button } from '@bff-auth/ui/button';
import { Card } from '@bff-auth/ui/card';
import { ErrorState, Loading } from '@bff-auth/ui/states';
import { TextField } from '@bff-auth/ui/text-field';
import { useToast } from '@bff-auth/ui/toast';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

interface TwoStepStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}
interface Enrolment {
  manualKey: string;
  otpauthUri: string;
  qrSvg: string;
}

const TWO_STEP_KEY = ['security', 'two-step'];
/** The manual key in groups of four, as authenticator apps accept it with or without the spaces. */
const grouped = (key: string) => key.replace(/(.{4})(?=.)/g, '$1 ');
// The SVG is drawn by the auth service; as an <img> source it cannot run anything on this page.
const svgSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
const failure = (error: unknown) => (error instanceof ApiError ? error.message : 'Try again in a moment.');

/**
 * Two-step verification (SPEC §12): set up with a QR code or the manual key, turn on with the first
 * code, see the recovery codes once, turn off with a code. The secret lives at the auth service; this
 * page sees it only while setting up.
 */
export function TwoStepCard() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const status = useQuery({
    queryKey: TWO_STEP_KEY,
    queryFn: () => apiFetch<TwoStepStatus>('/api/security/two-step'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: TWO_STEP_KEY });
  const codeError = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422) setError('That code is not valid. Try the next one.');
    else setError(failure(e));
  };

  const enrol = useMutation({
    mutationFn: () => apiFetch<Enrolment>('/api/security/two-step/enrolment', { method: 'POST', body: {} }),
    onSuccess: ({ data }) => {
      setEnrolment(data);
      setCode('');
      setError(undefined);
    },
    onError: (e) => toast(failure(e), 'danger'),
  });
  const confirm = useMutation({
    mutationFn: (typed: string) =>
      apiFetch<{ recoveryCodes: string[] }>('/api/security/two-step/confirm', {
        method: 'POST',
        body: { code: typed },
      }),
    onSuccess: ({ data }) => {
      setEnrolment(null);
      setRecoveryCodes(data.recoveryCodes);
      setCode('');
      toast('Two-step verification is on', 'success');
      void refresh();
    },
    onError: codeError,
  });
  const disable = useMutation({
    mutationFn: (typed: string) =>
      apiFetch('/api/security/two-step/disable', { method: 'POST', body: { code: typed } }),
    onSuccess: () => {
      setCode('');
      setRecoveryCodes(null);
      toast('Two-step verification is off', 'success');
      void refresh();
    },
    onError: codeError,
  });

  function submit(event: FormEvent, action: typeof confirm | typeof disable) {
    event.preventDefault();
    if (!code.trim()) {
      setError('Enter a code');
      return;
    }
    setError(undefined);
    action.mutate(code.trim());
  }
  const codeField = (label: string, hint: string) => (
    <TextField
      label={label}
      name="code"
      autoComplete="one-time-code"
      hint={hint}
      value={code}
      error={error}
      onChange={(e) => setCode(e.target.value)}
    />
  );

  if (status.isPending)
    return (
      <Card title="Two-step verification">
        <Loading />
      </Card>
    );
  if (status.isError) {
    return (
      <Card title="Two-step verification">
        <ErrorState title="Could not load two-step verification">{failure(status.error)}</ErrorState>
      </Card>
    );
  }
  const { enabled, recoveryCodesLeft } = status.data.data;

  return (
    <Card
      title="Two-step verification"
      actions={<Badge tone={enabled ? 'success' : 'neutral'}>{enabled ? 'On' : 'Off'}</Badge>}
    >
      {recoveryCodes ? (
        <Alert tone="warning" title="Save your recovery codes">
          <p>
            Each code signs you in once if you lose your phone. They are shown only now: keep them somewhere
            safe.
          </p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <Button variant="secondary" onClick={() => setRecoveryCodes(null)}>
            I have saved these codes
          </Button>
        </Alert>
      ) : null}

      {enabled ? (
        <form onSubmit={(e) => submit(e, disable)} noValidate aria-label="Turn off two-step verification">
          <p className="ui-muted">
            Signing in asks for a code from your authenticator app after your password. {recoveryCodesLeft}{' '}
            recovery code{recoveryCodesLeft === 1 ? '' : 's'} left.
          </p>
          {codeField('Code to turn off', 'A code from your app, or one of your recovery codes.')}
          <Button type="submit" variant="danger" busy={disable.isPending}>
            Turn off two-step verification
          </Button>
        </form>
      ) : enrolment ? (
        <form onSubmit={(e) => submit(e, confirm)} noValidate aria-label="Confirm two-step verification">
          <p>Scan this QR code with your authenticator app, or type the key into it.</p>
          {/* biome-ignore lint/performance/noImgElement: a small data: SVG, nothing for next/image to optimise */}
          <img
            src={svgSource(enrolment.qrSvg)}
            alt="QR code for your authenticator app"
            width={200}
            height={200}
          />
          <p>
            Manual key: <code data-testid="manual-key">{grouped(enrolment.manualKey)}</code>
          </p>
          {codeField('Code from your app', 'The 6-digit code the app shows for this account.')}
          <div className="ui-row">
            <Button type="submit" busy={confirm.isPending}>
              Turn on
            </Button>
            <Button type="button" variant="ghost" onClick={() => setEnrolment(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="ui-row">
          <p className="ui-muted">
            Protect your account with a code from an authenticator app after your password.
          </p>
          <Button onClick={() => enrol.mutate()} busy={enrol.isPending}>
            Set up two-step verification
          </Button>
        </div>
      )}
    </Card>
  );
}
