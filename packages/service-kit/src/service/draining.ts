import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../http/envelope';
import { REQUEST_ID_HEADER, requestIdFrom } from '../http/request-id';

/** The readiness path of every Node service (`healthRoutes`). */
export const READY_PATH = '/ready';

/** A service's drain state: false until shutdown starts, then true for good. */
export interface DrainState {
  readonly draining: boolean;
  /** Called once when shutdown starts. */
  start(): void;
}

/** A fresh drain state, not draining. */
export function createDrainState(): DrainState {
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    start() {
      draining = true;
    },
  };
}

type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps a Node request listener for the drain (SPEC §7): `GET /ready` answers 503 `draining` at once,
 * so a load balancer stops sending traffic here, and every other answer carries `Connection: close`, so
 * a keep-alive client sends its next request elsewhere. Until the drain starts, `listener` runs untouched.
 */
export function drainAwareListener(listener: NodeListener, state: DrainState, readyPath = READY_PATH) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!state.draining) return listener(req, res);
    res.setHeader('Connection', 'close');
    if ((req.url ?? '/').split('?')[0] !== readyPath) return listener(req, res);
    const requestId = requestIdFrom(req.headers['x-request-id'] as string | undefined);
    const body = errorBody('draining', 'This instance is shutting down', requestId);
    res.writeHead(503, {
      'Content-Type': 'application/json',
      'Retry-After': '1',
      [REQUEST_ID_HEADER]: requestId,
    });
    res.end(JSON.stringify(body));
  };
}
