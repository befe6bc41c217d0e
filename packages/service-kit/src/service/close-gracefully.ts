import type { Server } from 'node:http';

/**
 * How long in-flight requests get to finish after SIGTERM before their connections are cut. Below the
 * 10 s in which SPEC §7 wants a service gone (and Kubernetes' default 30 s grace period).
 */
export const DEFAULT_DRAIN_MS = 8_000;

/** How often connections that went idle during the drain are closed. */
const IDLE_SWEEP_MS = 50;

/**
 * Stops accepting connections, lets in-flight requests finish, and resolves once the server is closed.
 * Node's `server.close()` closes only the connections idle at that moment; a keep-alive connection whose
 * request finishes later would hold the server open until its keep-alive timeout, so idle connections
 * are swept while draining. After `drainMs` every remaining connection is cut.
 */
export function closeGracefully(server: Server, { drainMs = DEFAULT_DRAIN_MS } = {}): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      server.closeAllConnections();
      resolve();
      return;
    }
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const cut = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
