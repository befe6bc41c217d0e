import { randomUUID } from 'node:crypto';
import { createRevocationStore, RevocationUnavailableError } from '@bff-auth/revocation';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { type OwnRedisServer, startRedisServer } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

/**
 * Every acknowledged revocation is in authdb before it is in Redis; when Redis comes back empty the auth
 * service gives it back, and readers fail closed until it has. The test owns its redis-server.
 */
describe('revocations survive an empty Redis', () => {
  let server: OwnRedisServer;
  let redis: RedisClient;
  let reader: RedisClient;
  let auth: TestAuthService;
  const prefix = `revrec:${randomUUID().slice(0, 8)}:`;
  const at = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, keyPrefix: prefix, failFast: false });
    // A reader as an API or a BFF has it: fail fast, its own connection.
    reader = createRedis({ url: server.url, keyPrefix: prefix, commandTimeoutMs: 300 });
    await Promise.all([waitForRedis(redis), waitForRedis(reader)]);
    auth = await startAuthService({
      redis: { redis, prefix, url: server.url, cleanup: async () => redis.disconnect() },
    });
  });
  afterAll(async () => {
    await auth.close();
    redis.disconnect();
    reader.disconnect();
    await server.kill();
  });

  it('re-applies force logout, disable and role change after an empty restart; readers wait for it', async () => {
    const store = createRevocationStore({ redis: reader });
    const loggedOut = await auth.createUser({ email: 'out@example.com', password: 'correct horse' });
    const disabled = await auth.createUser({ email: 'off@example.com', password: 'correct horse' });
    const issuedAt = at() - 5;
    await auth.service.revocation.setUserNotBefore(loggedOut.id);
    await auth.service.revocation.revokeSession('someone', 'sid-ended');
    await auth.service.revocation.setUserDisabled(disabled.id, true);
    await auth.service.revocation.markRolesChanged(loggedOut.id, at());
    expect(await store.check({ userId: loggedOut.id, issuedAt })).toBe('user_logged_out');

    await server.kill();
    await server.start();
    await expect.poll(() => reader.ping().catch(() => 'down'), { timeout: 10_000 }).toBe('PONG');
    await expect
      .poll(
        async () => {
          try {
            return await store.check({ userId: loggedOut.id, issuedAt });
          } catch (error) {
            // Until the restore is done nothing passes: never a "valid" from an empty Redis.
            expect(error).toBeInstanceOf(RevocationUnavailableError);
            return 'closed';
          }
        },
        { timeout: 15_000 },
      )
      .toBe('user_logged_out');

    expect(await store.check({ userId: 'someone', sid: 'sid-ended', issuedAt })).toBe('session_revoked');
    expect(await store.check({ userId: disabled.id, issuedAt })).toBe('user_disabled');
    expect(
      (await store.inspect({ userId: loggedOut.id, issuedAt: at() + 10 })).rolesChangedAt,
    ).not.toBeNull();
    expect(await store.check({ userId: 'someone', sid: 'sid-live', issuedAt })).toBeNull();
  });

  it('forgets nothing that was undone: an enabled account stays enabled after a restore', async () => {
    const store = createRevocationStore({ redis: reader });
    const user = await auth.createUser({ email: 'back@example.com', password: 'correct horse' });
    await auth.service.revocation.setUserDisabled(user.id, true);
    await auth.service.revocation.setUserDisabled(user.id, false);
    await auth.service.record.restore();
    expect(await store.check({ userId: user.id, issuedAt: at() })).toBeNull();
  });

  it('refuses to acknowledge a revocation it could not record', async () => {
    const user = await auth.createUser({ email: 'unrecorded@example.com', password: 'correct horse' });
    await auth.db.query('ALTER TABLE revocations RENAME TO revocations_away');
    try {
      await expect(auth.service.revocation.setUserDisabled(user.id, true)).rejects.toThrow();
      const store = createRevocationStore({ redis: reader });
      // Not in the record, so not in Redis either: nothing claims a disable that a restart would undo.
      expect(await store.check({ userId: user.id, issuedAt: at() })).toBeNull();
    } finally {
      await auth.db.query('ALTER TABLE revocations_away RENAME TO revocations');
    }
  });
});
