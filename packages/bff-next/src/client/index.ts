export { ApiError, type ApiResult, apiFetch } from './api-client';
export { Providers } from './providers';
export { announceSignOut, SessionWatcher } from './session-watcher';
export { SignOutButton } from './sign-out-button';
