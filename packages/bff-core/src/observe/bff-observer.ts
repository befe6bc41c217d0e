/** Outcomes of one request's refresh (SPEC §11). `reuse_detected`: the provider refused the refresh token (invalid_grant). */
export type RefreshOutcome = 'refreshed' | 'adopted' | 'reuse_detected' | 'failed';

/** Why the BFF ended a session without the user asking. */
export type ForcedSignOutReason = 'session_revoked' | 'session_expired';

/**
 * What bff-core reports for metrics; the app maps it onto its registry (bff-next does, with
 * prom-client). Every hook is optional and must not throw; bff-core itself holds no metrics.
 */
export interface BffObserver {
  /** Once per request that needed a refresh. */
  refresh?(outcome: RefreshOutcome): void;
  /** A request refused because the revocation state could not be read (fail closed). */
  revocationFailClosed?(): void;
  /** The session cookie was cleared because the session was revoked or its grant is gone. */
  forcedSignOut?(reason: ForcedSignOutReason): void;
  /** A circuit breaker changed state. */
  breakerState?(upstream: string, state: 'closed' | 'half_open' | 'open'): void;
  /** A cached answer was served because the upstream failed. */
  fallbackServed?(upstream: string): void;
  /** An SSE stream opened (+1) or closed (-1). */
  eventStreams?(delta: 1 | -1): void;
}
