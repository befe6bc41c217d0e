import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { createRedis, waitForRedis } from '@bff-auth/service-kit/redis';
import { type OwnRedisServer, startRedisServer } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

const password = 'correct horse';

/**
 * Sessions, grants and refresh tokens live in authdb: a Redis that restarts empty (the default here keeps
 * nothing on disk) signs nobody out. The test owns its redis-server so it can kill and restart it.
 */
describe('provider sessions survive an empty Redis', () => {
  let server: OwnRedisServer;
  let redis: RedisClient;
  let auth: TestAuthService;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedis({ url: server.url, failFast: false });
    await waitForRedis(redis);
    const prefix = `durable:${randomUUID().slice(0, 8)}:`;
    auth = await startAuthService({
      redis: { redis, prefix, url: server.url, cleanup: async () => redis.disconnect() },
    });
  });
  afterAll(async () => {
    await auth.close();
    redis.disconnect();
    await server.kill();
  });

  async function restartRedisEmpty() {
    await redis.set('canary', '1');
    await server.kill();
    await server.start();
    await expect.poll(() => redis.ping().catch(() => 'down'), { timeout: 10_000 }).toBe('PONG');
    expect(await redis.get('canary')).toBeNull();
  }

  it('keeps refresh working and the single sign-on session alive across an empty restart', async () => {
    await auth.createUser({ email: 'kept@example.com', password });
    const first = await auth.signInOverHttp({ clientId: 'user-web', email: 'kept@example.com', password });
    expect(first.ok).toBe(true);
    if (!first.ok) return;

    await restartRedisEmpty();

    const refreshed = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: first.tokens.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toBeTruthy();

    // Single sign-on into the other app still needs no password: a wrong one is never asked for.
    const sso = await auth.signInOverHttp({
      clientId: 'admin-web',
      email: 'kept@example.com',
      password: 'not the password',
      jar: first.jar,
    });
    expect(sso.ok).toBe(true);
  });

  it('still detects reuse of a refresh token rotated before the restart', async () => {
    await auth.createUser({ email: 'reuse@example.com', password });
    const tokens = await auth.signIn('reuse@example.com', password);
    const refresh = (refreshToken: string) =>
      auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken });
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).toBe(200);

    // The reuse grace's copy of the answer lived in Redis and is gone; the record of consumption is not.
    await restartRedisEmpty();

    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await refresh(rotated.body.refresh_token!)).body.error).toBe('invalid_grant');
  });

  it('lists and ends the user’s sessions after an empty restart', async () => {
    const user = await auth.createUser({ email: 'ended@example.com', password });
    const signedIn = await auth.signInOverHttp({
      clientId: 'user-web',
      email: 'ended@example.com',
      password,
    });
    expect(signedIn.ok).toBe(true);
    if (!signedIn.ok) return;

    await restartRedisEmpty();

    expect(await auth.service.sessions.list(user.id)).toHaveLength(1);
    expect(await auth.service.sessions.revokeAll(user.id)).toBe(1);
    expect(await auth.service.sessions.list(user.id)).toHaveLength(0);
    const refreshed = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: signedIn.tokens.refresh_token!,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('answers invalid_grant, never a 5xx, for a refresh token no artefact could be named by', async () => {
    for (const refreshToken of ['\u0000', 'a\u0000b', '\ud800', 'x'.repeat(300), "'; DROP TABLE x; --"]) {
      const res = await auth.tokenRequest('user-web', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    }
  });
});
