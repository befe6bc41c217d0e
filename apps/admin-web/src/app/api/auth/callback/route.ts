import { authRouteHandlers } from '@bff-auth/bff-next/server';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';
/** The sign-in callback; bff-app.ts sends a user without the admin role to the 403 page. */
export const GET = authRouteHandlers(getBff).callback;
