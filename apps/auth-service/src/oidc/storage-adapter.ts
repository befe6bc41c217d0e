import type { RedisClient } from '@bff-auth/service-kit/redis';
import Provider, { type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import { type ArtifactStore, DURABLE_MODELS } from './artifact-store';
import { createRedisAdapterClass } from './redis-adapter';

/**
 * oidc-provider's storage: sessions, grants and refresh tokens in authdb (they must outlive an empty or
 * failed-over Redis), everything short-lived (interactions, authorization codes, replay guards) in Redis
 * with its own TTL.
 */
export function createStorageAdapter({
  redis,
  artifacts,
  currentRequest = () => Provider.ctx,
}: {
  redis: RedisClient;
  artifacts: ArtifactStore;
  /** The request being served (oidc-provider's AsyncLocalStorage); tests pass their own. */
  currentRequest?: () => object | undefined;
}): AdapterFactory {
  const RedisAdapter = createRedisAdapterClass(redis);
  const sessionReads = createSessionReads(currentRequest);
  return (model) =>
    DURABLE_MODELS.has(model)
      ? durableAdapter(model, artifacts, new RedisAdapter(model), sessionReads)
      : new RedisAdapter(model);
}

/**
 * What each request read of each session, keyed by the request's context (oidc-provider keeps it in
 * AsyncLocalStorage: `Provider.ctx`). oidc-provider writes back, at the end of every request, the whole
 * session the request loaded; two requests of one browser at once (a sign-in in one tab, the end-session
 * in another) would otherwise undo each other's changes — the logout state vanishes and the confirmation
 * fails, or an ended session comes back. With what the request read, its write applies only its own
 * changes (ArtifactStore.mergeUpsert).
 */
function createSessionReads(currentRequest: () => object | undefined) {
  const reads = new WeakMap<object, Map<string, AdapterPayload>>();
  return {
    remember(id: string, payload: AdapterPayload | undefined) {
      const request = currentRequest();
      if (!request || !payload) return;
      const read = reads.get(request) ?? new Map<string, AdapterPayload>();
      reads.set(request, read);
      read.set(id, structuredClone(payload));
    },
    readInThisRequest(id: string) {
      const request = currentRequest();
      return request ? reads.get(request)?.get(id) : undefined;
    },
  };
}

function durableAdapter(
  model: string,
  artifacts: ArtifactStore,
  redisAdapter: Adapter,
  { remember, readInThisRequest }: ReturnType<typeof createSessionReads>,
): Adapter {
  const merging = model === 'Session';
  return {
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const base = merging ? readInThisRequest(id) : undefined;
      if (!base) return artifacts.upsert(model, id, payload, expiresIn);
      remember(id, await artifacts.mergeUpsert(model, id, base, payload, expiresIn));
    },
    async find(id: string) {
      const payload = await artifacts.find(model, id);
      if (merging) remember(id, payload);
      return payload;
    },
    findByUid: (uid: string) => artifacts.findByUid(model, uid),
    findByUserCode: async () => undefined,
    consume: (id: string) => artifacts.consume(model, id),
    destroy: (id: string) => artifacts.destroy(model, id),
    // The grant's short-lived artefacts (codes) live in Redis under its grant index: both go.
    async revokeByGrantId(grantId: string) {
      await artifacts.revokeByGrantId(grantId);
      await redisAdapter.revokeByGrantId(grantId);
    },
  };
}
