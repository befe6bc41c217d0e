import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';

/** What the breaker sees of one upstream attempt. */
export interface AttemptResult {
  status: number;
}

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  consecutiveFailures: number;
  /** How long it stays open before one trial request goes through (half-open). */
  halfOpenAfterMs: number;
}

/** Errors the client caused (it went away) are not the upstream's fault. */
export class ClientAbortError extends Error {
  constructor() {
    super('client aborted the request');
    this.name = 'ClientAbortError';
  }
}

/**
 * A cockatiel breaker for one upstream: network errors, timeouts and 5xx answers are failures; 4xx are
 * the caller's problem and count as successes.
 */
export function createUpstreamBreaker({
  consecutiveFailures,
  halfOpenAfterMs,
}: BreakerOptions): CircuitBreakerPolicy {
  const policy = handleWhen((error) => !(error instanceof ClientAbortError)).orWhenResult(
    (result) => (result as AttemptResult).status >= 500,
  );
  return circuitBreaker(policy, {
    halfOpenAfter: halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(consecutiveFailures),
  });
}

export { BrokenCircuitError, CircuitState };
