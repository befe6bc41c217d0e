'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

const CHANNEL = 'bff-auth-session';
/** Set while this tab signs out on purpose: it is on its way to the provider's end-session page. */
let signingOut = false;
const ENDED = new Set(['logout', 'session-revoked']);

/**
 * Keeps an open page honest about its session (SPEC §4.5): server-sent events from the BFF announce a
 * logout or a revocation and the page leaves; other tabs learn of it through a BroadcastChannel; a page
 * restored from the back/forward cache re-checks its session before showing anything.
 */
export function SessionWatcher() {
  const queryClient = useQueryClient();
  useEffect(() => {
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    // To sign-in, coming back here afterwards; replace() keeps the private page out of the history.
    const leave = () => {
      if (signingOut) return;
      const returnTo = `${window.location.pathname}${window.location.search}`;
      window.location.replace(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    };
    channel?.addEventListener('message', (event) => {
      if (event.data === 'ended') leave();
    });

    const events = new EventSource('/api/auth/events');
    const onEnded = () => {
      channel?.postMessage('ended');
      leave();
    };
    for (const type of ENDED) events.addEventListener(type, onEnded);
    events.addEventListener('roles-changed', () => {
      void queryClient.invalidateQueries();
    });

    const onPageShow = async (event: PageTransitionEvent) => {
      if (!event.persisted) return;
      const response = await fetch('/api/auth/session', { cache: 'no-store' }).catch(() => null);
      const session = response?.ok ? ((await response.json()) as { authenticated?: boolean }) : null;
      if (!session?.authenticated) leave();
    };
    window.addEventListener('pageshow', onPageShow);

    return () => {
      events.close();
      channel?.close();
      window.removeEventListener('pageshow', onPageShow);
    };
  }, [queryClient]);
  return null;
}

/** While true, this tab ignores session-ended events: it is signing out on purpose. */
export function setSigningOut(value: boolean) {
  signingOut = value;
}

/** Tells the other tabs of this app that the session ended. */
export function announceSignOut() {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('ended');
  channel.close();
}
