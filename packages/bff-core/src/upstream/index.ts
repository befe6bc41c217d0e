export {
  type BreakerOptions,
  BrokenCircuitError,
  ClientAbortError,
  createUpstreamBreaker,
} from './circuit-breakers';
export {
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_DEADLINES,
  DEFAULT_HALF_OPEN_AFTER_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  type Deadlines,
  KNOWN_DEADLINES,
} from './deadlines';
export { createFallbackCache, DEFAULT_FALLBACK_TTL_SECONDS, type FallbackCache } from './fallback-cache';
export { DEFAULT_REQUEST_HEADER_ALLOW_LIST, DEFAULT_RESPONSE_HEADER_ALLOW_LIST } from './headers';
export { DEFAULT_PARAM_PATTERN, InvalidParamError, type ParamRule, validatePathParam } from './path-params';
export { DEFAULT_RETRY_AFTER_SECONDS } from './proxy-response';
export { DEFAULT_MAX_QUERY_LENGTH, InvalidQueryError, validateQueryString } from './query-string';
export { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES } from './retry-policy';
export {
  type CompiledRoute,
  compileRoutes,
  type HttpMethod,
  matchRoute,
  type RouteDefinition,
} from './route-table';
export {
  createUpstreamProxy,
  DEFAULT_MAX_REQUEST_BODY_BYTES,
  type ForwardContext,
  type PreparedCall,
  type UpstreamDefinition,
  type UpstreamProxy,
  type UpstreamProxyOptions,
} from './upstream-proxy';
