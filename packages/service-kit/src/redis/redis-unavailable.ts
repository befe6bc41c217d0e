/** Redis replies that mean "not now" rather than "wrong request". */
const UNAVAILABLE_REPLY = /^(READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY)\b/;
/** What ioredis throws when it has no usable connection or the command timed out. */
const UNAVAILABLE_MESSAGE =
  /^(Command timed out|Connection is closed|Stream isn't writeable|None of startup nodes is available|Failed to refresh slots cache|Reached the max retries per request limit)/;
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/**
 * Whether `error` (or its cause) says Redis cannot serve right now — no connection, a command timeout, a
 * read-only or loading server, a cluster without quorum — as opposed to a bug or a bad request. Such a
 * failure is a 503 with Retry-After, never a 500.
 */
export function isRedisUnavailableError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  if (UNAVAILABLE_REPLY.test(error.message) || UNAVAILABLE_MESSAGE.test(error.message)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return isRedisUnavailableError(error.cause, depth + 1);
}
