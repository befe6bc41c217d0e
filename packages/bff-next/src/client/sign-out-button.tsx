'use client';

import { useState } from 'react';
import { announceSignOut, setSigningOut } from './session-watcher';

/**
 * Signs out through `POST /api/auth/logout` (with the CSRF header) and follows the provider's
 * end-session URL the BFF returns, so the single sign-on session ends too. That URL carries no token,
 * only `client_id` and a single-use logout hint; `location.replace` keeps even that out of the history.
 */
export function SignOutButton({ className = 'ui-button ui-button--secondary' }: { className?: string }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  async function signOut() {
    setBusy(true);
    setFailed(false);
    setSigningOut(true);
    try {
      const response = await fetch('/api/auth/logout', { method: 'POST', headers: { 'x-csrf': '1' } });
      if (!response.ok && response.status !== 401) throw new Error(`sign-out failed: ${response.status}`);
      const body = (await response.json().catch(() => ({}))) as { data?: { redirectTo?: string } };
      announceSignOut();
      window.location.replace(body.data?.redirectTo ?? '/');
    } catch {
      setSigningOut(false);
      setBusy(false);
      setFailed(true);
    }
  }
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={signOut}
        disabled={busy}
        aria-busy={busy || undefined}
      >
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {failed ? (
        <span role="alert" className="ui-muted">
          Sign-out failed. Try again.
        </span>
      ) : null}
    </>
  );
}
