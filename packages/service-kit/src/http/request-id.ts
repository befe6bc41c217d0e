import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export const REQUEST_ID_HEADER = 'X-Request-ID';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a well-formed client request id or makes one; `requestIdFrom` validates the header. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && VALID_REQUEST_ID.test(header) ? header : randomUUID();
}

declare module 'hono' {
  interface ContextVariableMap {
    requestId: string;
  }
}

/** Accepts or creates X-Request-ID, stores it as `c.var.requestId` and returns it on the response. */
export function requestId(): MiddlewareHandler {
  return async (c, next) => {
    const id = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, id);
  };
}
