import 'server-only';
import type { Bff, SessionUser } from '@bff-auth/bff-core';
import { headers } from 'next/headers';
import { cache } from 'react';

/**
 * The signed-in user for a server component (never a token), or null. proxy.ts has already refreshed
 * the session and handed the fresh cookie to this request. Memoised per request with React's `cache`:
 * the layout and the page ask once between them, so one render pays one revocation check.
 */
export const getPageUser = cache(async (getBff: () => Bff): Promise<SessionUser | null> => {
  const incoming = await headers();
  const request = new Request('http://internal/', { headers: new Headers(incoming) });
  try {
    const lookup = await getBff().getSession(request);
    return lookup.user;
  } catch {
    return null;
  }
});
