export { createParking, type ParkedOutcome } from './parked-token-set';
export { type HeldLock, tryLock } from './redis-lock';
export {
  createRefresher,
  DEFAULT_LOCK_LEASE_MS,
  DEFAULT_PARK_TTL_SECONDS,
  DEFAULT_REFRESH_WAIT_MS,
  REFRESH_SKEW_SECONDS,
  type Refresher,
  type RefresherOptions,
  refreshKeys,
} from './refresh-single-flight';
