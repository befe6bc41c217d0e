'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

const CHANNEL = 'bff-auth-session';
const ENDED = new Set(['logout', 'session-revoked']);

/**
 * Keeps an open page honest about its session (SPEC §4.5): server-sent events from the BFF announce a
 * logout or a revocation and the page leaves; other tabs learn of it through a BroadcastChannel; a page
 * restored from the back/forward cache re-checks its session before showing anything.
 */
export function SessionWatcher({ signedOutPath = '/' }: { signedOutPath?: string }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    const leave = () => window.location.replace(signedOutPath);
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
  }, [queryClient, signedOutPath]);
  return null;
}

/** Tells the other tabs of this app that the session ended (call after a sign-out). */
export function announceSignOut() {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('ended');
  channel.close();
}
