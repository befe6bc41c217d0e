import { metricsRouteHandler } from '@bff-auth/bff-next/server';
import { getBff } from '@/lib/bff';

export const dynamic = 'force-dynamic';

/** Prometheus scrape, closed without `Authorization: Bearer $METRICS_TOKEN`. */
export const GET = metricsRouteHandler(getBff);
