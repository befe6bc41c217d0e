export {
  type AuthEventListener,
  type AuthEventsSubscriber,
  type AuthEventsSubscriberOptions,
  createAuthEventsSubscriber,
} from './auth-events-subscriber';
export {
  createEventStreamResponse,
  DEFAULT_HEARTBEAT_MS,
  type EventStreamOptions,
  eventFor,
  type PushedEventName,
} from './event-stream';
export { checkSessionRevocation, RevocationCheckUnavailableError } from './session-revocation';
