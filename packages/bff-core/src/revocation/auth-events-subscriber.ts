import { type AuthEvent, parseAuthEvent } from '@bff-auth/revocation';
import { duplicateRedis, type RedisClient } from '@bff-auth/service-kit/redis';

export type AuthEventListener = (event: AuthEvent) => void;

export interface AuthEventsSubscriber {
  /** Adds a listener; returns the function that removes it. Subscribes to Redis on first use. */
  subscribe(listener: AuthEventListener): () => void;
  /** Number of listeners, for tests and metrics. */
  readonly listeners: number;
  /** Starts the subscription; resolves once Redis acknowledged it. */
  ready(): Promise<void>;
  /** Unsubscribes and closes the subscriber connection when it was created here. */
  close(): Promise<void>;
}

export interface AuthEventsSubscriberOptions {
  /** A command connection to duplicate for subscribing, or… */
  redis?: RedisClient;
  /** …a connection dedicated to subscribing (it enters subscriber mode). */
  subscriber?: RedisClient;
  /** The full channel name: the revocation store's `channel` (prefix + 'auth.events'). */
  channel: string;
}

/**
 * One Redis subscription to `auth.events` fanned out to every open event stream of this process.
 * Messages only speed things up (the Redis keys stay the source of truth), so malformed ones are dropped.
 */
export function createAuthEventsSubscriber({
  redis,
  subscriber,
  channel,
}: AuthEventsSubscriberOptions): AuthEventsSubscriber {
  const listeners = new Set<AuthEventListener>();
  let connection: RedisClient | undefined = subscriber;
  const owned = !subscriber;
  let subscribed: Promise<void> | undefined;
  let wired = false;

  const deliver = (ch: string, message: string) => {
    if (ch !== channel) return;
    const event = parseAuthEvent(message);
    if (!event) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // One broken listener must not starve the others.
      }
    }
  };

  const start = () => {
    if (subscribed) return;
    if (!connection) {
      if (!redis) throw new Error('@bff-auth/bff-core: createAuthEventsSubscriber needs redis or subscriber');
      // A subscriber must queue its SUBSCRIBE until connected and resubscribe after reconnects.
      // On a Cluster the duplicate subscribes through one node and PUBLISH reaches every node; behind
      // Sentinel it follows the new master and resubscribes there.
      connection = duplicateRedis(redis, {
        enableOfflineQueue: true,
        autoResubscribe: true,
        commandTimeout: undefined,
      });
    }
    if (!wired) connection.on('message', deliver);
    wired = true;
    subscribed = connection.subscribe(channel).then(
      () => {},
      () => {
        subscribed = undefined;
      },
    );
  };

  return {
    get listeners() {
      return listeners.size;
    },
    subscribe(listener) {
      start();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (connection && owned) connection.disconnect();
    },
    async ready() {
      start();
      await subscribed;
    },
  };
}
