export { RevocationUnavailableError } from './errors';
export { type AuthEvent, authEventSchema, authEventTypes, parseAuthEvent } from './events';
export { AUTH_EVENTS_CHANNEL, REVOCATION_TTL_SECONDS, revocationKeys, userHashTag } from './keys';
export { createRestoredGate, RESTORED_RECHECK_MS, type RestoredGate } from './restored-gate';
export {
  createRevocationStore,
  type RevocationReason,
  type RevocationStatus,
  type RevocationStore,
  type RevocationStoreOptions,
  type RevocationSubject,
} from './revocation-store';
