export {
  type AuthEventListener,
  type AuthEventsSubscriber,
  type AuthEventsSubscriberOptions,
  createAuthEventsSubscriber,
} from './auth-events-subscriber';
export {
  createEventStreamResponse,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_RECHECK_MS,
  type EventStreamOptions,
  eventFor,
  type PushedEventName,
} from './event-stream';
export { checkSessionRevocation, RevocationCheckUnavailableError } from './session-revocation';
export {
  createStreamRegistry,
  DEFAULT_MAX_STREAMS_PER_SESSION,
  type StreamRegistry,
} from './stream-registry';
