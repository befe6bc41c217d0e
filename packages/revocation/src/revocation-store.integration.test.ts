import { randomUUID } from 'node:crypto';
import { createRedis, duplicateRedis, type RedisClient, waitForRedis } from '@bff-auth/service-kit/redis';
import {
  REDIS_TOPOLOGIES,
  type RedisTopology,
  startRedisServer,
  startRedisTopology,
} from '@bff-auth/service-kit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RevocationUnavailableError } from './errors';
import { parseAuthEvent } from './events';
import { revocationKeys } from './keys';
import { createRevocationStore } from './revocation-store';

describe.each(REDIS_TOPOLOGIES)('revocation store on %s Redis', (kind) => {
  let topology: RedisTopology;
  beforeAll(async () => {
    topology = await startRedisTopology(kind);
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });
  // Each test its own prefix, like a deployment sharing the servers with others.
  const t = { redis: undefined as unknown as RedisClient, prefix: '' };
  beforeEach(async () => {
    t.prefix = `rev:${randomUUID().slice(0, 8)}:`;
    t.redis = await topology.connect({ keyPrefix: t.prefix });
  });

  const now = 1_700_000_000;
  const subject = { userId: 'u1', sid: 's1', jti: 'j1', issuedAt: now };

  it('accepts a subject no key mentions', async () => {
    const store = createRevocationStore({ redis: t.redis, now: () => now });
    expect(await store.check(subject)).toBeNull();
  });

  it('rejects a revoked session id', async () => {
    const store = createRevocationStore({ redis: t.redis });
    await store.revokeSession('u1', 's1');
    expect(await store.check(subject)).toBe('session_revoked');
    expect(await store.check({ ...subject, sid: 's2' })).toBeNull();
    // The same sid of another user is another session.
    expect(await store.check({ ...subject, userId: 'u2' })).toBeNull();
  });

  it('rejects a deny-listed jti and lets the key expire', async () => {
    const store = createRevocationStore({ redis: t.redis });
    await store.denyJti('u1', 'j1', 60);
    expect(await store.check(subject)).toBe('token_revoked');
    expect(await t.redis.ttl(revocationKeys.jti('u1', 'j1'))).toBeGreaterThan(0);
  });

  it('rejects anything issued before the user not-before time, including the same second', async () => {
    const store = createRevocationStore({ redis: t.redis, now: () => now });
    await store.setUserNotBefore('u1');
    expect(await store.check(subject)).toBe('user_logged_out');
    expect(await store.check({ ...subject, issuedAt: now + 1 })).toBeNull();
  });

  it('rejects a disabled user until enabled again', async () => {
    const store = createRevocationStore({ redis: t.redis });
    await store.setUserDisabled('u1', true);
    expect(await store.check(subject)).toBe('user_disabled');
    await store.setUserDisabled('u1', false);
    expect(await store.check(subject)).toBeNull();
  });

  it('records when the roles of a user last changed', async () => {
    const store = createRevocationStore({ redis: t.redis, now: () => now });
    expect(await store.rolesChangedAt('u1')).toBeNull();
    await store.markRolesChanged('u1');
    expect(await store.rolesChangedAt('u1')).toBe(now);
    expect(await store.inspect(subject)).toEqual({ reason: null, rolesChangedAt: now, restoredAt: 0 });
  });

  it('publishes events on the prefixed channel', async () => {
    const store = createRevocationStore({ redis: t.redis, channelPrefix: t.prefix });
    const subscriber = duplicateRedis(t.redis, { keyPrefix: '', commandTimeout: undefined });
    try {
      await subscriber.subscribe(store.channel);
      const received = new Promise<string>((resolve) => subscriber.on('message', (_c, m) => resolve(m)));
      await store.publish({ type: 'session-revoked', userId: 'u1', sid: 's1' });
      const event = parseAuthEvent(await received);
      expect(event).toMatchObject({ type: 'session-revoked', userId: 'u1', sid: 's1' });
      expect(store.channel).toBe(`${t.prefix}auth.events`);
    } finally {
      subscriber.disconnect();
    }
  });

  it('checks any user id, sid and jti in one MGET without CROSSSLOT (hash tags)', async () => {
    const store = createRevocationStore({ redis: t.redis, now: () => now });
    const id = fc.string({ minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(id, id, id, async (userId, sid, jti) => {
        await store.denyJti(userId, jti, 60);
        expect(await store.check({ userId, sid, jti, issuedAt: now })).toBe('token_revoked');
        await store.revokeSession(userId, sid);
        expect(await store.check({ userId, sid, jti: undefined, issuedAt: now })).toBe('session_revoked');
      }),
      { numRuns: 50 },
    );
  });
});

describe('revocation store outage', () => {
  const subject = { userId: 'u1', sid: 's1', jti: 'j1', issuedAt: 1_700_000_000 };

  it('fails closed with RevocationUnavailableError when Redis is down, then recovers', async () => {
    // The marker stands for the auth service, which restores the revocation state whenever Redis is back.
    const server = await startRedisServer({ restoredMarker: true });
    const redis = createRedis({ url: server.url, commandTimeoutMs: 200 });
    try {
      await waitForRedis(redis);
      const store = createRevocationStore({ redis });
      expect(await store.check(subject)).toBeNull();
      await server.kill();
      await expect(store.check(subject)).rejects.toBeInstanceOf(RevocationUnavailableError);
      await server.start();
      await expect.poll(() => store.check(subject).catch(() => 'down'), { timeout: 5000 }).toBeNull();
    } finally {
      redis.disconnect();
      await server.kill();
    }
  });

  it('stays closed after Redis came back empty until the revocation state is restored', async () => {
    const server = await startRedisServer();
    const redis = createRedis({ url: server.url, commandTimeoutMs: 200 });
    try {
      await waitForRedis(redis);
      const store = createRevocationStore({ redis });
      // A new Redis holds no revocation state yet: nothing passes until it is declared complete.
      await expect(store.check(subject)).rejects.toBeInstanceOf(RevocationUnavailableError);
      await store.markRestored();
      await store.revokeSession('u1', 's1');
      expect(await store.check(subject)).toBe('session_revoked');

      // Empty restart: the revoked sid is gone, and an absent key must not read as "valid".
      await server.kill();
      await server.start();
      await expect.poll(() => redis.ping().catch(() => 'down'), { timeout: 5000 }).toBe('PONG');
      await expect(store.check(subject)).rejects.toBeInstanceOf(RevocationUnavailableError);

      // What the auth service does: re-apply its record, then declare the state complete.
      await store.revokeSession('u1', 's1');
      await store.markRestored();
      expect(await store.check(subject)).toBe('session_revoked');
      expect(await store.check({ ...subject, sid: 'other' })).toBeNull();
    } finally {
      redis.disconnect();
      await server.kill();
    }
  });
});

describe('when the revocation state was restored', () => {
  const subject = { userId: 'u1', sid: 's1', jti: 'j1', issuedAt: 1_700_000_000 };
  it('reads the time of the last restore, which a restorer that finds the marker in place keeps', async () => {
    const server = await startRedisServer();
    const writerConnection = createRedis({ url: server.url, commandTimeoutMs: 500 });
    const readerConnection = createRedis({ url: server.url, commandTimeoutMs: 500 });
    try {
      await Promise.all([waitForRedis(writerConnection), waitForRedis(readerConnection)]);
      const writer = createRevocationStore({ redis: writerConnection });
      const reader = createRevocationStore({ redis: readerConnection });
      const before = Date.now();
      await writer.markRestored();
      const first = (await reader.inspect(subject)).restoredAt;
      expect(first).toBeGreaterThanOrEqual(before);
      expect(first).toBeLessThanOrEqual(Date.now());

      // A restorer that reconnected (or an auth service that restarted) finds the marker: Redis lost
      // nothing, so the time stays — readers must not treat state from before as lost.
      await new Promise((resolve) => setTimeout(resolve, 5));
      await writer.markRestored();
      const reread = createRevocationStore({ redis: readerConnection });
      expect((await reread.inspect(subject)).restoredAt).toBe(first);

      // An empty restart loses the marker; the next restore gets a new time, which readers see.
      await server.kill();
      await server.start();
      await expect.poll(() => writerConnection.ping().catch(() => 'down'), { timeout: 5000 }).toBe('PONG');
      await expect.poll(() => readerConnection.ping().catch(() => 'down'), { timeout: 5000 }).toBe('PONG');
      const restartedAt = Date.now();
      await writer.markRestored();
      expect((await reader.inspect(subject)).restoredAt).toBeGreaterThanOrEqual(restartedAt);
      // A store that does not require the marker does not report it.
      const lenient = createRevocationStore({ redis: readerConnection, requireRestored: false });
      expect((await lenient.inspect(subject)).restoredAt).toBeNull();
    } finally {
      writerConnection.disconnect();
      readerConnection.disconnect();
      await server.kill();
    }
  });
});

describe('parseAuthEvent', () => {
  it('returns null for malformed messages', () => {
    expect(parseAuthEvent('not json')).toBeNull();
    expect(parseAuthEvent('{"type":"nope","userId":"u","at":1}')).toBeNull();
  });
});
