import { randomUUID } from 'node:crypto';
import { REDIS_TOPOLOGIES, type RedisTopology, startRedisTopology } from '@bff-auth/service-kit/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';
import { createRedisAdapterClass } from './redis-adapter';

// The provider's storage, sessions admin and sign-in rate limits on each Redis topology: on a Cluster
// any command or MULTI that spans two keys of different slots fails with CROSSSLOT.
describe.each(REDIS_TOPOLOGIES)('provider storage on %s Redis', (kind) => {
  let topology: RedisTopology;
  let auth: TestAuthService;
  const password = 'correct horse';

  beforeAll(async () => {
    topology = await startRedisTopology(kind);
    const prefix = `auth:${randomUUID().slice(0, 8)}:`;
    const redis = await topology.connect({ keyPrefix: prefix, failFast: false });
    auth = await startAuthService({
      redis: { redis, prefix, url: '', cleanup: async () => {} },
      loginLimits: { failuresPerAccountAndIp: 2, attemptsPerIp: 100, windowSeconds: 60 },
      // No reuse grace, so a replay goes straight to revokeByGrantId (the grace keeps one key per token).
      env: { REFRESH_REUSE_GRACE: '0' },
    });
    await auth.createUser({ email: 'ada@example.com', password, roles: ['user'] });
  }, 60_000);
  afterAll(async () => {
    await auth?.close({ keepState: true });
    await topology?.stop();
  });

  const refresh = (refreshToken: string) =>
    auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken });

  it('signs in, rotates the refresh token, and revokes the whole grant on reuse', async () => {
    const tokens = await auth.signIn('ada@example.com', password);
    const rotated = await refresh(tokens.refresh_token!);
    expect(rotated.status).toBe(200);
    const replay = await refresh(tokens.refresh_token!);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(rotated.body.refresh_token!)).body.error).toBe('invalid_grant');
  });

  it('lists and ends every session of a user (account indexes)', async () => {
    const user = await auth.createUser({ email: `s-${randomUUID()}@example.com`, password });
    const tokens = await auth.signIn(user.email, password);
    const sid = decodeJwt(tokens.access_token).sid as string;
    const sessions = await auth.service.sessions.list(user.id);
    expect(sessions.map((s) => s.clientSids['user-web'])).toEqual([sid]);
    expect(await auth.service.sessions.revokeAll(user.id)).toBe(1);
    expect(await auth.service.sessions.list(user.id)).toEqual([]);
    expect((await refresh(tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect(await auth.service.revocation.check({ userId: user.id, sid, issuedAt: 0 })).not.toBeNull();
  });

  it('stores, consumes, finds by uid and destroys artifacts', async () => {
    const Adapter = createRedisAdapterClass(auth.redis.redis);
    const codes = new Adapter('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1', uid: 'uid-1', accountId: 'a1' }, 60);
    expect(await codes.findByUid('uid-1')).toMatchObject({ grantId: 'g1' });
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));
    await codes.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    const sessions = new Adapter('Session');
    await sessions.upsert('s1', { accountId: 'a1', uid: 'uid-s1' }, 60);
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('throttles sign-in failures per account (rate-limiter-flexible keys)', async () => {
    const email = `brute-${randomUUID()}@example.com`;
    await auth.createUser({ email, password });
    for (let i = 0; i < 2; i++) {
      const r = await auth.signInOverHttp({ clientId: 'user-web', email, password: `guess-${i}` });
      expect(r.ok ? 200 : r.status).toBe(401);
    }
    const third = await auth.signInOverHttp({ clientId: 'user-web', email, password: 'guess-3' });
    expect(third.ok ? 200 : third.status).toBe(429);
  });
});
