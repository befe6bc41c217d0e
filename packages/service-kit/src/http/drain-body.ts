import type { MiddlewareHandler } from 'hono';
import { MAX_BODY_BYTES } from './body-limit';

/**
 * Reads what a handler left unread of a request body (an unmatched route, a 405, an early 401) before the
 * response is written. Otherwise @hono/node-server drains it after the response and, when the body's end
 * does not come within half a second (a busy machine), destroys the keep-alive connection — and the
 * client's next request on it fails with "other side closed". Bodies over the limit are not read: their
 * answer is a 413 that closes the connection anyway.
 */
export function readUnreadBody(maxBytes = MAX_BODY_BYTES): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const raw = c.req.raw;
    if (!raw.body || raw.bodyUsed || c.res.status === 413) return;
    const length = Number(raw.headers.get('content-length') ?? 0);
    if (length > maxBytes) return;
    await raw.arrayBuffer().catch(() => undefined);
  };
}
