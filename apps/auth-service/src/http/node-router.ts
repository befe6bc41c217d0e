import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestIdFrom } from '@bff-auth/service-kit/http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { ProviderHost } from '../oidc/provider-host';

/** Paths served by our Hono app; everything else is the OpenID provider's. */
const OWN_PATHS = /^\/(health|ready|metrics|assets\/|interaction\/|internal\/)/;

/**
 * One Node listener for the whole service: our routes (login page, internal API, health) through
 * Hono, the protocol endpoints through oidc-provider. Both get an X-Request-ID and a log line.
 */
export function createNodeListener({ app, host, logger }: { app: Hono; host: ProviderHost; logger: Logger }) {
  const honoListener = getRequestListener(app.fetch);
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (OWN_PATHS.test(path)) return honoListener(req, res);

    const requestId = requestIdFrom(req.headers['x-request-id'] as string | undefined);
    req.headers['x-request-id'] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = performance.now();
    res.once('finish', () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    host.handle(req, res);
  };
}
