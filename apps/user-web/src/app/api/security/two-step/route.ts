import { proxyRouteHandler } from '@bff-auth/bff-next/server';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';
export const GET = proxyRouteHandler(getBff, 'security.twoStep.status');
