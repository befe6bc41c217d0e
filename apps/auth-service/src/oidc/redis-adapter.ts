import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Artifacts oidc-provider consumes (uses once): stored as a hash so `consume` marks them without a
 * rewrite. A pushed authorization request is consumed when the sign-in resumes.
 */
const CONSUMABLE = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
]);

export const oidcKeys = {
  artifact: (model: string, id: string) => `oidc:${model}:${id}`,
  grant: (grantId: string) => `oidc:grant:${grantId}`,
  userCode: (userCode: string) => `oidc:userCode:${userCode}`,
  uid: (uid: string) => `oidc:uid:${uid}`,
};

/** Runs a MULTI and throws the first error of its commands (ioredis resolves exec() with them). */
async function execAll(multi: ReturnType<RedisClient['multi']>): Promise<void> {
  const results = await multi.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0];
  if (!results) throw new Error('redis-adapter: transaction aborted');
}

/**
 * oidc-provider's storage in Redis, one instance per model. Every artifact expires with its own TTL;
 * the grant index lets a reused refresh token revoke everything of its grant.
 *
 * Cluster-safe: every command and every MULTI touches one key. The artifact, its grant index and its
 * uid/userCode lookups live in different slots (the artifact is found by its own id, so it cannot share
 * the grant's hash tag), so they are written as separate
 * per-key transactions: the indexes first, then the artifact, so an artifact that exists is always
 * reachable from its grant and a reuse-triggered revocation never misses it.
 */
export function createRedisAdapterClass(redis: RedisClient) {
  /** Adds `member` to an index set whose TTL only ever grows to the longest-lived member's. */
  const index = (key: string, member: string, expiresIn: number) => {
    const multi = redis.multi().sadd(key, member);
    if (expiresIn) multi.expire(key, expiresIn, 'GT').expire(key, expiresIn, 'NX');
    return execAll(multi);
  };

  return class RedisAdapter implements Adapter {
    constructor(readonly model: string) {}

    private key(id: string) {
      return oidcKeys.artifact(this.model, id);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const lookups: Promise<unknown>[] = [];
      if (payload.grantId) lookups.push(index(oidcKeys.grant(payload.grantId), key, expiresIn));
      if (payload.userCode) {
        lookups.push(redis.set(oidcKeys.userCode(payload.userCode), id, 'EX', expiresIn || 3600));
      }
      if (payload.uid) lookups.push(redis.set(oidcKeys.uid(payload.uid), id, 'EX', expiresIn || 3600));
      await Promise.all(lookups);

      const multi = redis.multi();
      if (CONSUMABLE.has(this.model)) {
        multi.del(key);
        multi.hset(key, { payload: JSON.stringify(payload) });
      } else {
        multi.set(key, JSON.stringify(payload));
      }
      if (expiresIn) multi.expire(key, expiresIn);
      await execAll(multi);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const key = this.key(id);
      if (CONSUMABLE.has(this.model)) {
        const data = await redis.hgetall(key);
        if (!data.payload) return undefined;
        const payload = JSON.parse(data.payload) as AdapterPayload;
        return data.consumed ? { ...payload, consumed: Number(data.consumed) } : payload;
      }
      const data = await redis.get(key);
      return data ? (JSON.parse(data) as AdapterPayload) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await redis.get(oidcKeys.uid(uid));
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await redis.get(oidcKeys.userCode(userCode));
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      await redis.hset(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
    }

    async destroy(id: string): Promise<void> {
      await redis.del(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const grantKey = oidcKeys.grant(grantId);
      const keys = await redis.smembers(grantKey);
      // Stored keys are keyPrefix-relative names. One DEL each (they are in different Cluster slots);
      // sent together, so still one round trip. The index goes last: a failure leaves it to retry.
      await Promise.all(keys.map((key) => redis.del(key)));
      await redis.del(grantKey);
    }
  };
}
