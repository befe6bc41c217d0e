export { ApiError, type ApiResult, apiFetch, STEP_UP_REQUIRED, stepUpLoginHref } from './api-client';
export { Providers } from './providers';
export { announceSignOut, SessionWatcher } from './session-watcher';
export { SignOutButton } from './sign-out-button';
