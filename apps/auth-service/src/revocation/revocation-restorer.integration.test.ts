import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, migrate } from '@bff-auth/db';
import { createRevocationStore, revocationKeys } from '@bff-auth/revocation';
import { createLogger } from '@bff-auth/service-kit/logger';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { type RedisTopology, startRedisTopology } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevocationRecord } from './revocation-record';
import { createRevocationRestorer } from './revocation-restorer';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * A Cluster master that dies may take writes it acknowledged but had not yet sent to its replica. The
 * Cluster connection stays up (the other masters answer), so nothing but the lost node tells the auth
 * service to give Redis its record back. Real 6-node Cluster, real database.
 */
describe('the revocation record after a Cluster master dies (own Redis Cluster with replicas)', () => {
  let topology: RedisTopology;
  let redis: RedisClient;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let restorer: ReturnType<typeof createRevocationRestorer>;
  const prefix = `restorer:${randomUUID().slice(0, 8)}:`;

  beforeAll(async () => {
    topology = await startRedisTopology('cluster', { replicas: true });
    redis = await topology.connect({ keyPrefix: prefix });
    db = await createTestDatabase('auth_restorer_cluster');
    await migrate(db, MIGRATIONS);
  }, 60_000);
  afterAll(async () => {
    restorer?.stop();
    await db?.cleanup();
    await topology?.stop();
  });

  it('re-applies a revocation the dead master never passed on', async () => {
    const store = createRevocationStore({ redis });
    const record = createRevocationRecord({ db, store });
    restorer = createRevocationRestorer({
      redis,
      record,
      restoredKey: revocationKeys.restored,
      logger: createLogger({ name: 'auth-service', level: 'silent' }),
    });
    await restorer.start();
    const subject = { userId: 'u-lost', sid: 'sid-lost', issuedAt: Math.floor(Date.now() / 1000) };
    await record.store.revokeSession(subject.userId, subject.sid);
    expect(await store.check(subject)).toBe('session_revoked');

    // What a lossy failover leaves: the write acknowledged (and recorded), absent from the new master.
    await redis.del(revocationKeys.session(subject.userId, subject.sid));
    await topology.killMaster(`{u:${subject.userId}}`);

    await expect
      .poll(() => store.check(subject).catch(() => 'unavailable'), { timeout: 20_000, interval: 250 })
      .toBe('session_revoked');
  }, 60_000);
});
