import 'server-only';
import type { Bff, SessionUser } from '@bff-auth/bff-core';
import { headers } from 'next/headers';
import { cache } from 'react';

/**
 * The signed-in user for a server component (never a token), or null. It only READS the session: a
 * server component cannot set a cookie, so a refresh here would throw the rotated refresh token away
 * and the next request would replay the old one (reuse detection then ends the session, SPEC §4.3).
 * proxy.ts refreshes before every page, RSC and prefetch request and hands the fresh cookie to this
 * render. Memoised per request with React's `cache`: the layout and the page ask once between them.
 */
export const getPageUser = cache(async (getBff: () => Bff): Promise<SessionUser | null> => {
  const incoming = await headers();
  const request = new Request('http://internal/', { headers: new Headers(incoming) });
  try {
    const lookup = await getBff().readSession(request);
    return lookup.user;
  } catch {
    return null;
  }
});
