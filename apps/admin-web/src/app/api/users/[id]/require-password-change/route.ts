import { proxyRouteHandler } from '@bff-auth/bff-next/server';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';
export const POST = proxyRouteHandler(getBff, 'users.password_change.require');
