import 'server-only';
import type { Bff, SessionUser } from '@bff-auth/bff-core';
import { headers } from 'next/headers';

/**
 * The signed-in user for a server component (never a token), or null. proxy.ts has already refreshed
 * the session and handed the fresh cookie to this request.
 */
export async function getPageUser(getBff: () => Bff): Promise<SessionUser | null> {
  const incoming = await headers();
  const request = new Request('http://internal/', { headers: new Headers(incoming) });
  try {
    const lookup = await getBff().getSession(request);
    return lookup.user;
  } catch {
    return null;
  }
}
