import { errorCodes } from '../errors';
import { errorResponse } from '../http/envelope';
import { REQUEST_ID_HEADER } from '../http/request-id';
import { pickResponseHeaders } from './headers';
import { RETRYABLE_STATUSES } from './retry-policy';
import type { UpstreamAnswer } from './upstream-client';

/** How a proxied call ended. */
export type Outcome =
  | { kind: 'answer'; answer: UpstreamAnswer }
  | { kind: 'network' }
  | { kind: 'timeout' }
  | { kind: 'bad-response' }
  | { kind: 'open'; retryAfterSeconds: number };

/** Seconds a browser is told to wait when an upstream is down and no better hint exists. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Whether the upstream counts as down, so a cached fallback may be served: unreachable, breaker open,
 * hung past its deadline, or a 502/503/504 answer. SPEC §7: a hung upstream serves the cached copy at
 * the deadline; 504 only when there is no copy.
 */
export function unavailable(outcome: Outcome): boolean {
  if (outcome.kind === 'network' || outcome.kind === 'open' || outcome.kind === 'timeout') return true;
  return outcome.kind === 'answer' && RETRYABLE_STATUSES.has(outcome.answer.status);
}

/** Maps an outcome to the browser's response: the upstream's own answer or the error envelope. */
export function buildResponse(
  outcome: Outcome,
  method: string,
  responseAllow: ReadonlySet<string>,
  requestId: string,
): Response {
  const down = (retryAfter: number | string = DEFAULT_RETRY_AFTER_SECONDS) =>
    errorResponse(503, errorCodes.upstreamUnavailable, 'The service is temporarily unavailable', requestId, {
      'Retry-After': String(retryAfter),
    });
  switch (outcome.kind) {
    case 'open':
      return down(outcome.retryAfterSeconds);
    case 'network':
      return down();
    case 'timeout':
      return errorResponse(504, errorCodes.upstreamTimeout, 'The service did not answer in time', requestId);
    case 'bad-response':
      return errorResponse(
        502,
        errorCodes.upstreamBadResponse,
        'The service gave an invalid answer',
        requestId,
      );
  }
  const { status, headers, body } = outcome.answer;
  // Redirects are not followed and not passed on: an upstream has no business steering the browser.
  if (status >= 300 && status < 400 && status !== 304) {
    return errorResponse(
      502,
      errorCodes.upstreamBadResponse,
      'The service gave an invalid answer',
      requestId,
    );
  }
  if (status === 502 || status === 503) {
    const retryAfter = headers['retry-after'];
    return down(
      typeof retryAfter === 'string' && /^\d+$/.test(retryAfter) ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS,
    );
  }
  if (status === 504) {
    return errorResponse(504, errorCodes.upstreamTimeout, 'The service did not answer in time', requestId);
  }
  const out = pickResponseHeaders(headers, responseAllow);
  out.set(REQUEST_ID_HEADER, requestId);
  const noBody = method === 'HEAD' || status === 204 || status === 304;
  // The body as read (Response copies it anyway): no copy of our own.
  return new Response(noBody ? null : (body as Uint8Array<ArrayBuffer>), { status, headers: out });
}
