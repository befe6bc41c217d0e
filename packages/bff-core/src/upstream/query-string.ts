import { BffError, errorCodes } from '../errors';
import { hasControlCharacter } from '../text';

/** Longest query string passed on; the APIs refuse headers over 16 KB, so more is never useful. */
export const DEFAULT_MAX_QUERY_LENGTH = 4096;

/** A query string the BFF refuses to pass on: 400 `invalid_query` (or 414 when too long). */
export class InvalidQueryError extends BffError {
  constructor(reason: string, status = 400) {
    super(
      status,
      status === 414 ? errorCodes.uriTooLong : errorCodes.invalidQuery,
      `Invalid query string: ${reason}`,
    );
    this.name = 'InvalidQueryError';
  }
}

/**
 * Checks a query string (`?a=1&b=2`, as `URL.search` gives it) before it is forwarded: every name and
 * value must decode as UTF-8 and hold no control character (NUL included). Hostile input is then the
 * client's error, answered here with a 4xx, instead of reaching an API that may answer 5xx for it —
 * which the circuit breaker would count against the upstream (SPEC §8).
 * @returns the query unchanged.
 * @throws InvalidQueryError
 */
export function validateQueryString(search: string, maxLength = DEFAULT_MAX_QUERY_LENGTH): string {
  if (search.length > maxLength) throw new InvalidQueryError(`longer than ${maxLength} characters`, 414);
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (!query) return search;
  for (const pair of query.split('&')) {
    for (const part of pair.split('=')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        throw new InvalidQueryError('malformed percent-encoding');
      }
      if (hasControlCharacter(decoded)) throw new InvalidQueryError('control character');
    }
  }
  return search;
}
