export { checkPasswordMap, MIN_PASSWORD_LENGTH, type PasswordMap } from './passwords';
export {
  MAX_COOKIE_BYTES,
  SESSION_COOKIE_NAMES,
  SESSION_SAME_SITE,
  SESSION_TTL_SECONDS,
} from './session-cookie';
export { type SessionData, type SessionUser, sessionDataSchema, userOf } from './session-data';
export {
  createSessionStore,
  DEFAULT_UNSEAL_CACHE_SIZE,
  type Session,
  type SessionStore,
  type SessionStoreOptions,
} from './session-store';
