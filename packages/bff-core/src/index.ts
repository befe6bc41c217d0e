export { type AuthenticateOptions, type AuthOutcome, authenticate } from './bff/authenticate';
export type { BffConfig, BffLogger, BffOptions } from './bff/config';
export type { BffContext } from './bff/context';
export { type Bff, createBff } from './bff/create-bff';
export { READY_CHECK_TIMEOUT_MS } from './bff/handle-ready';
export type { SessionInfo, SessionLookup } from './bff/handle-session';
export {
  type BffShutdown,
  createShutdown,
  DRAIN_RETRY_JITTER_MS,
  DRAIN_RETRY_MS,
  type ShutdownOptions,
} from './bff/shutdown';
export { CSRF_HEADER, CsrfError, checkCsrf } from './csrf/check-csrf';
export { AuthUnavailableError, BffConfigError, BffError, errorCodes, SessionExpiredError } from './errors';
export { errorResponse, toErrorResponse, withCookies } from './http/index';
export type { BffObserver, ForcedSignOutReason, RefreshOutcome } from './observe/index';
export { safeReturnTo } from './return-to/safe-return-to';
export { SESSION_COOKIE_NAMES, type SessionUser } from './session/index';
export type { RouteDefinition, UpstreamDefinition } from './upstream/index';
