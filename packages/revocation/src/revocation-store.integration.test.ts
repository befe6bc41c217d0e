import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { createTestRedis, startRedisServer, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevocationUnavailableError } from './errors';
import { parseAuthEvent } from './events';
import { createRevocationStore } from './revocation-store';

describe('revocation store (real Redis)', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await createTestRedis('revocation');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const now = 1_700_000_000;
  const subject = { userId: 'u1', sid: 's1', jti: 'j1', issuedAt: now };

  it('accepts a subject no key mentions', async () => {
    const store = createRevocationStore({ redis: t.redis, now: () => now });
    expect(await store.check(subject)).toBeNull();
  });

  it('rejects a revoked session id', async () => {
    const store = createRevocationStore({ redis: t.redis });
    await store.revokeSession('s1');
    expect(await store.check(subject)).toBe('session_revoked');
    expect(await store.check({ ...subject, sid: 's2' })).toBeNull();
  });

  it('rejects a deny-listed jti and lets the key expire', async () => {
    const store = createRevocationStore({ redis: t.redis });
    await store.denyJti('j1', 60);
    expect(await store.check(subject)).toBe('token_revoked');
    expect(await t.redis.ttl('revoked:jti:j1')).toBeGreaterThan(0);
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
    expect(await store.inspect(subject)).toEqual({ reason: null, rolesChangedAt: now });
  });

  it('publishes events on the prefixed channel', async () => {
    const store = createRevocationStore({ redis: t.redis, channelPrefix: t.prefix });
    const subscriber = createRedis({ url: t.url, failFast: false });
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
      await store.revokeSession('s1');
      expect(await store.check(subject)).toBe('session_revoked');

      // Empty restart: the revoked sid is gone, and an absent key must not read as "valid".
      await server.kill();
      await server.start();
      await expect.poll(() => redis.ping().catch(() => 'down'), { timeout: 5000 }).toBe('PONG');
      await expect(store.check(subject)).rejects.toBeInstanceOf(RevocationUnavailableError);

      // What the auth service does: re-apply its record, then declare the state complete.
      await store.revokeSession('s1');
      await store.markRestored();
      expect(await store.check(subject)).toBe('session_revoked');
      expect(await store.check({ ...subject, sid: 'other' })).toBeNull();
    } finally {
      redis.disconnect();
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
