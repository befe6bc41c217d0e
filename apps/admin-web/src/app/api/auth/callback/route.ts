import { authRouteHandlers } from '@bff-auth/bff-next/server';
import { getBff } from '@/lib/bff';
import { forbiddenAsRedirect } from '@/lib/forbidden-redirect';

export const dynamic = 'force-dynamic';

const { callback } = authRouteHandlers(getBff);

/** The sign-in callback; a user without the admin role is sent to the 403 page (no session is kept). */
export const GET = async (request: Request) => forbiddenAsRedirect(await callback(request));
