import { createHash } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { LRUCache } from 'lru-cache';
import { hashOf } from '../hash';

/** How long a last good response is kept. */
export const DEFAULT_FALLBACK_TTL_SECONDS = 24 * 3600;
/** Larger bodies are not cached. */
export const MAX_FALLBACK_BODY_BYTES = 256 * 1024;
/**
 * An unchanged body is written to Redis at most this often per user and route: the hot path of a GET
 * then costs a digest of the body, not a Redis round trip. (Another instance may write a newer body meanwhile; the
 * next write after this interval puts the latest back.)
 */
export const FALLBACK_REWRITE_INTERVAL_MS = 60_000;
/** How many (route, user) entries remember what they last wrote. */
export const FALLBACK_MEMO_SIZE = 10_000;

export interface CachedResponse {
  status: number;
  contentType: string | null;
  /** base64 body. */
  body: string;
  storedAt: number;
}

/** An answer to keep: its body as received (encoded only when it is written). */
export interface FreshResponse {
  status: number;
  contentType: string | null;
  body: Uint8Array;
}

export interface FallbackCache {
  store(routeId: string, userKey: string, query: string, response: FreshResponse): Promise<void>;
  load(routeId: string, userKey: string, query: string): Promise<CachedResponse | null>;
  /** Stops listening to the Redis connection. */
  close(): void;
}

/**
 * The per-user "last good response" store of routes declared with `fallback: 'cache'`. Keys hash the
 * user and query, so no identifier appears in Redis key names. Redis errors are swallowed: a fallback
 * is a nicety, never a reason to fail a request that succeeded.
 */
export function createFallbackCache({
  redis,
  namespace,
  ttlSeconds = DEFAULT_FALLBACK_TTL_SECONDS,
}: {
  redis: RedisClient;
  /** Distinguishes apps sharing a Redis prefix (the OIDC client id). */
  namespace: string;
  ttlSeconds?: number;
}): FallbackCache {
  const key = (routeId: string, userKey: string, query: string) =>
    `bff:${namespace}:fallback:${routeId}:${hashOf(`${userKey}?${query}`)}`;
  // What this process last wrote under each key, so an unchanged answer is not written again. The memo
  // lives in this process only, so its keys need no hashing; an unchanged answer costs one digest of
  // its body (no base64, no Redis key).
  const written = new LRUCache<string, string>({
    max: FALLBACK_MEMO_SIZE,
    ttl: FALLBACK_REWRITE_INTERVAL_MS,
  });
  // A new connection may reach a Redis that restarted empty or a promoted replica that never got the
  // last writes (an empty restart or a failover always drops the connection): what this process wrote
  // before proves nothing any more, so the next good answer is written again.
  const forget = () => written.clear();
  redis.on('ready', forget);
  return {
    close: () => {
      redis.off('ready', forget);
    },
    async store(routeId, userKey, query, response) {
      if (response.body.byteLength > MAX_FALLBACK_BODY_BYTES) return;
      const memoKey = `${routeId}\n${userKey}?${query}`;
      const digest = createHash('sha256')
        .update(`${response.status}|${response.contentType}|`)
        .update(response.body)
        .digest('base64url');
      if (written.get(memoKey) === digest) return;
      const value: CachedResponse = {
        status: response.status,
        contentType: response.contentType,
        body: Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength).toString(
          'base64',
        ),
        storedAt: Date.now(),
      };
      try {
        await redis.set(key(routeId, userKey, query), JSON.stringify(value), 'EX', ttlSeconds);
        written.set(memoKey, digest);
      } catch {
        written.delete(memoKey);
      }
    },
    async load(routeId, userKey, query) {
      const raw = await redis.get(key(routeId, userKey, query)).catch(() => null);
      if (!raw) return null;
      try {
        return JSON.parse(raw) as CachedResponse;
      } catch {
        return null;
      }
    },
  };
}
