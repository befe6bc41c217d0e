import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { failure } from './envelope';

/** SPEC §6: bodies over 1 MB are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function bodyLimit(maxSize = MAX_BODY_BYTES): MiddlewareHandler {
  return honoBodyLimit({
    maxSize,
    onError: (c) => {
      // The rest of the body is never read, so the connection cannot be reused for another request.
      c.header('Connection', 'close');
      return failure(c, 413, 'payload_too_large', `The request body exceeds ${maxSize} bytes`);
    },
  });
}
