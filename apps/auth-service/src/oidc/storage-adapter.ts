import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
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
}: {
  redis: RedisClient;
  artifacts: ArtifactStore;
}): AdapterFactory {
  const RedisAdapter = createRedisAdapterClass(redis);
  return (model) =>
    DURABLE_MODELS.has(model)
      ? durableAdapter(model, artifacts, new RedisAdapter(model))
      : new RedisAdapter(model);
}

function durableAdapter(model: string, artifacts: ArtifactStore, redisAdapter: Adapter): Adapter {
  return {
    upsert: (id: string, payload: AdapterPayload, expiresIn: number) =>
      artifacts.upsert(model, id, payload, expiresIn),
    find: (id: string) => artifacts.find(model, id),
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
