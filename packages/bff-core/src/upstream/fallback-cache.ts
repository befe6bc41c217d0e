import type { Redis } from 'ioredis';
import { hashOf } from '../hash';

/** How long a last good response is kept. */
export const DEFAULT_FALLBACK_TTL_SECONDS = 24 * 3600;
/** Larger bodies are not cached. */
export const MAX_FALLBACK_BODY_BYTES = 256 * 1024;

export interface CachedResponse {
  status: number;
  contentType: string | null;
  /** base64 body. */
  body: string;
  storedAt: number;
}

export interface FallbackCache {
  store(
    routeId: string,
    userKey: string,
    query: string,
    response: Omit<CachedResponse, 'storedAt'>,
  ): Promise<void>;
  load(routeId: string, userKey: string, query: string): Promise<CachedResponse | null>;
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
  redis: Redis;
  /** Distinguishes apps sharing a Redis prefix (the OIDC client id). */
  namespace: string;
  ttlSeconds?: number;
}): FallbackCache {
  const key = (routeId: string, userKey: string, query: string) =>
    `bff:${namespace}:fallback:${routeId}:${hashOf(`${userKey}?${query}`)}`;
  return {
    async store(routeId, userKey, query, response) {
      if (Buffer.byteLength(response.body, 'base64') > MAX_FALLBACK_BODY_BYTES) return;
      const value: CachedResponse = { ...response, storedAt: Date.now() };
      await redis.set(key(routeId, userKey, query), JSON.stringify(value), 'EX', ttlSeconds).catch(() => {});
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
