import type { RedisClient } from '@bff-auth/service-kit/redis';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Artifacts that can be used once: stored as a hash so `consume` marks them without a rewrite. */
const CONSUMABLE = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

/** Models indexed by account, so the user-management API can list and end a user's sessions. */
const BY_ACCOUNT = new Set(['Session', 'Grant']);

export const oidcKeys = {
  artifact: (model: string, id: string) => `oidc:${model}:${id}`,
  grant: (grantId: string) => `oidc:grant:${grantId}`,
  userCode: (userCode: string) => `oidc:userCode:${userCode}`,
  uid: (uid: string) => `oidc:uid:${uid}`,
  account: (model: string, accountId: string) => `oidc:account:${model}:${accountId}`,
};

/**
 * oidc-provider's storage in Redis, one instance per model. Every artifact expires with its own TTL;
 * the grant index lets a reused refresh token revoke everything of its grant.
 */
export function createRedisAdapterClass(redis: RedisClient) {
  return class RedisAdapter implements Adapter {
    constructor(readonly model: string) {}

    private key(id: string) {
      return oidcKeys.artifact(this.model, id);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const multi = redis.multi();
      if (CONSUMABLE.has(this.model)) {
        multi.del(key);
        multi.hset(key, { payload: JSON.stringify(payload) });
      } else {
        multi.set(key, JSON.stringify(payload));
      }
      if (expiresIn) multi.expire(key, expiresIn);

      if (payload.grantId) {
        const grantKey = oidcKeys.grant(payload.grantId);
        multi.sadd(grantKey, key);
        if (expiresIn) multi.expire(grantKey, expiresIn, 'GT');
        if (expiresIn) multi.expire(grantKey, expiresIn, 'NX');
      }
      if (payload.userCode) {
        multi.set(oidcKeys.userCode(payload.userCode), id, 'EX', expiresIn || 3600);
      }
      if (payload.uid) {
        multi.set(oidcKeys.uid(payload.uid), id, 'EX', expiresIn || 3600);
      }
      if (BY_ACCOUNT.has(this.model) && payload.accountId) {
        const accountKey = oidcKeys.account(this.model, payload.accountId);
        multi.sadd(accountKey, id);
        if (expiresIn) multi.expire(accountKey, expiresIn, 'GT');
        if (expiresIn) multi.expire(accountKey, expiresIn, 'NX');
      }
      await multi.exec();
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
      // Stored keys already carry ioredis' keyPrefix-relative name; DEL them and the index at once.
      await redis.del(...keys, grantKey);
    }
  };
}
