import type { IncomingMessage } from 'node:http';

/**
 * Makes every request look as if it arrived at the configured issuer, whatever `Host` or
 * `X-Forwarded-*` the client sent. oidc-provider (through Koa) builds discovery endpoints, form actions
 * and redirects from the request's host and protocol; pinning them here means a hostile `Host:
 * evil.example` can never make the provider advertise or redirect to another origin (SPEC §8).
 *
 * The provider runs with Koa's `proxy` on so that it reads the pinned `X-Forwarded-Proto` (an https
 * issuer behind a TLS-terminating proxy still gets https endpoints and secure cookies). The client's
 * address (`X-Forwarded-For`) is trusted only with TRUST_PROXY; without it the header is dropped and
 * the socket's address counts.
 */
export function pinRequestToIssuer(
  req: IncomingMessage,
  { issuer, trustProxy }: { issuer: URL; trustProxy: boolean },
): void {
  req.headers.host = issuer.host;
  req.headers['x-forwarded-host'] = issuer.host;
  req.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
  if (!trustProxy) delete req.headers['x-forwarded-for'];
}
