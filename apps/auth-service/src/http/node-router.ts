import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestIdFrom } from '@bff-auth/service-kit/http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { ProviderHost } from '../oidc/provider-host';
import { pinRequestToIssuer } from './pin-to-issuer';

/** Paths served by our Hono app; everything else is the OpenID provider's. */
const OWN_PATHS =
  /^\/(health|ready|metrics|assets\/|interaction\/|internal\/|password-reset(\/|$)|logout-hint$|logout-session$)/;

/**
 * One Node listener for the whole service: our routes (login page, internal API, health) through
 * Hono, the protocol endpoints through oidc-provider. Both get an X-Request-ID and a log line.
 */
export function createNodeListener({
  app,
  host,
  logger,
  issuer,
  trustProxy,
}: {
  app: Hono;
  host: ProviderHost;
  logger: Logger;
  /** Every URL the service builds uses this origin, never the request's Host (see pin-to-issuer.ts). */
  issuer: string;
  trustProxy: boolean;
}) {
  const honoListener = getRequestListener(app.fetch);
  const issuerUrl = new URL(issuer);
  return (req: IncomingMessage, res: ServerResponse) => {
    pinRequestToIssuer(req, { issuer: issuerUrl, trustProxy });
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
