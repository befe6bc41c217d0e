import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@bff-auth/service-kit/redis';
import { REDIS_TOPOLOGIES, type RedisTopology, startRedisTopology } from '@bff-auth/service-kit/testing';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthUnavailableError, SessionExpiredError } from '../errors';
import { hashOf } from '../hash';
import { createOidcClient, type OidcClient } from '../oidc/oidc-client';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { createRefresher, refreshKeys } from './refresh-single-flight';

// The fake issuer stands in for the provider's token endpoint so the number of refresh calls can be
// counted and reuse of a rotated refresh token is detected (it revokes the grant, like oidc-provider).
const passwords = { 1: 'refresh-test-password-refresh-test-password' };

describe.each(REDIS_TOPOLOGIES)('on %s Redis', (kind) => {
  let topology: RedisTopology;
  const t = { redis: undefined as unknown as RedisClient, prefix: '' };
  let issuer: FakeIssuer;
  let oidc: OidcClient;

  const refresher = (redis = t.redis, overrides: Partial<Parameters<typeof createRefresher>[0]> = {}) =>
    createRefresher({
      redis,
      namespace: 'test-web',
      passwords,
      refreshTokens: (rt) => oidc.refresh(rt),
      ...overrides,
    });

  /** A second connection with the same key prefix: another BFF instance. */
  const otherInstanceRedis = () => topology.connect({ keyPrefix: t.prefix });

  /** Every key of the whole topology (each Cluster master holds its own share). */
  async function allKeys(pattern: string): Promise<string[]> {
    const nodes = t.redis instanceof Cluster ? t.redis.nodes('master') : [t.redis];
    return (await Promise.all(nodes.map((node) => node.keys(pattern)))).flat();
  }

  beforeAll(async () => {
    topology = await startRedisTopology(kind);
  }, 60_000);
  afterAll(async () => {
    await topology?.stop();
  });
  beforeEach(async () => {
    t.prefix = `refresh:${randomUUID().slice(0, 8)}:`;
    t.redis = await topology.connect({ keyPrefix: t.prefix });
    issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
    oidc = createOidcClient({
      issuer: issuer.issuer,
      clientId: 'test-web',
      clientSecret: 'secret',
      redirectUri: 'http://localhost:3002/api/auth/callback',
      postLogoutRedirectUri: 'http://localhost:3002/',
    });
  });
  afterEach(async () => {
    await issuer.close();
  });

  describe('refresh single flight', () => {
    it('makes exactly one token call for 50 concurrent refreshes in one process', async () => {
      const grant = await issuer.issueGrant();
      const r = refresher();
      const results = await Promise.all(Array.from({ length: 50 }, () => r.refresh(grant.refreshToken)));
      expect(issuer.refreshCalls).toBe(1);
      expect(new Set(results.map((x) => x.refreshToken)).size).toBe(1);
      expect(results[0]!.refreshToken).toBe(issuer.latestRefreshToken);
      expect(r.inFlight).toBe(0);
    });

    it('makes exactly one token call across two instances sharing Redis', async () => {
      const grant = await issuer.issueGrant();
      const a = refresher();
      const b = refresher(await otherInstanceRedis());
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).refresh(grant.refreshToken)),
      );
      expect(issuer.refreshCalls).toBe(1);
      expect(issuer.revokedGrants).toBe(0);
      expect(new Set(results.map((x) => x.accessToken)).size).toBe(1);
    });

    it('lets a late request with the old refresh token adopt the parked tokens', async () => {
      const grant = await issuer.issueGrant();
      const first = await refresher().refresh(grant.refreshToken);
      const late = await refresher(await otherInstanceRedis()).refresh(grant.refreshToken);
      expect(late).toEqual(first);
      expect(issuer.refreshCalls).toBe(1);
      expect(issuer.revokedGrants).toBe(0);
    });

    it('keeps one call when the token endpoint outlasts the lock lease (the lease is renewed)', async () => {
      const grant = await issuer.issueGrant();
      // The call outlasts the lease 2.5 times over; renewals (every third of the lease) keep the lock. The
      // lease is long enough that a loaded two-core machine's pauses do not skip a renewal.
      issuer.tokenDelayMs = 5000;
      const a = refresher(t.redis, { lockLeaseMs: 2000 });
      const b = refresher(await otherInstanceRedis(), { lockLeaseMs: 2000 });
      await Promise.all([
        a.refresh(grant.refreshToken),
        b.refresh(grant.refreshToken),
        b.refresh(grant.refreshToken),
      ]);
      expect(issuer.refreshCalls).toBe(1);
    });

    it('parks the tokens sealed: Redis never holds them in clear', async () => {
      const grant = await issuer.issueGrant();
      const fresh = await refresher().refresh(grant.refreshToken);
      const key = refreshKeys('test-web', hashOf(grant.refreshToken)).parked;
      const raw = (await t.redis.get(key))!;
      expect(raw).toMatch(/^Fe26\.2\*/);
      expect(raw).not.toContain(fresh.refreshToken!);
      expect(raw).not.toContain(fresh.accessToken.split('.')[1]!);
      expect(await allKeys(`${t.prefix}*`)).not.toEqual([]);
      expect(await allKeys(`${t.prefix}*${grant.refreshToken}*`)).toEqual([]);
    });

    it('answers session_expired to every waiter on invalid_grant, and other instances adopt it without a call', async () => {
      const grant = await issuer.issueGrant();
      issuer.mode = 'invalid_grant';
      const a = refresher();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => a.refresh(grant.refreshToken)),
      );
      for (const o of outcomes)
        expect((o as PromiseRejectedResult).reason).toBeInstanceOf(SessionExpiredError);
      await expect(refresher(await otherInstanceRedis()).refresh(grant.refreshToken)).rejects.toBeInstanceOf(
        SessionExpiredError,
      );
      expect(issuer.refreshCalls).toBe(1);
    });

    it('answers auth_unavailable when the provider is down, parks nothing, and tries again next time', async () => {
      const grant = await issuer.issueGrant();
      issuer.mode = 'down';
      const r = refresher();
      const error = await r.refresh(grant.refreshToken).catch((e) => e);
      expect(error).toBeInstanceOf(AuthUnavailableError);
      expect(error.status).toBe(503);
      issuer.mode = 'ok';
      const fresh = await r.refresh(grant.refreshToken);
      expect(fresh.refreshToken).toBe(issuer.latestRefreshToken);
      expect(issuer.revokedGrants).toBe(0);
    });

    it('reports each caller its outcome: refreshed for the exchange, adopted for joiners and late instances, then reuse_detected and failed', async () => {
      const outcomes: string[] = [];
      const onOutcome = (o: string) => outcomes.push(o);
      const grant = await issuer.issueGrant();
      const a = refresher(t.redis, { onOutcome });
      await Promise.all(Array.from({ length: 5 }, () => a.refresh(grant.refreshToken)));
      await refresher(await otherInstanceRedis(), { onOutcome }).refresh(grant.refreshToken);
      expect(outcomes.sort()).toEqual(['adopted', 'adopted', 'adopted', 'adopted', 'adopted', 'refreshed']);

      outcomes.length = 0;
      const revoked = await issuer.issueGrant();
      issuer.mode = 'invalid_grant';
      await refresher(t.redis, { onOutcome })
        .refresh(revoked.refreshToken)
        .catch(() => {});
      issuer.mode = 'down';
      const other = await issuer.issueGrant();
      await refresher(t.redis, { onOutcome })
        .refresh(other.refreshToken)
        .catch(() => {});
      expect(outcomes).toEqual(['reuse_detected', 'failed']);
    });

    it('answers auth_unavailable when the provider cannot be reached at all', async () => {
      const grant = await issuer.issueGrant();
      await issuer.close();
      await expect(refresher().refresh(grant.refreshToken)).rejects.toBeInstanceOf(AuthUnavailableError);
      issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
    });
  });
});
