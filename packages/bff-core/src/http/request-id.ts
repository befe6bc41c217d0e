import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'X-Request-ID';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a well-formed client `X-Request-ID` or makes a new one (same rule as service-kit). */
export function requestIdOf(request: Request): string {
  const header = request.headers.get(REQUEST_ID_HEADER);
  return header && VALID_REQUEST_ID.test(header) ? header : randomUUID();
}
