import { readyRouteHandler } from '@bff-auth/bff-next/server';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';
/** Readiness for a load balancer: Redis and the provider reachable; 503 while this instance drains. */
export const GET = readyRouteHandler(getBff);
