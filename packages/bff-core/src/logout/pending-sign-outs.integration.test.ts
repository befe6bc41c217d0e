import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORDS } from '../testing/bff-fixture';
import { createPendingSignOuts, type PendingSignOutsOptions } from './pending-sign-outs';

const silent = { warn: () => {}, error: () => {} };

/** The provider side as the queue sees it: each call answers as `mode` says at that moment. */
function provider() {
  const calls = { revoked: [] as string[], ended: [] as string[] };
  let mode: 'up' | 'down' | 'hang' = 'up';
  let release = () => {};
  const oidc: PendingSignOutsOptions['oidc'] = {
    async revoke(token) {
      if (mode === 'hang') await new Promise<void>((resolve) => (release = resolve));
      if (mode === 'down') return false;
      calls.revoked.push(token);
      return true;
    },
    async endProviderSession(idToken) {
      if (mode === 'down') throw new Error('unreachable');
      calls.ended.push(idToken);
      return 'ended';
    },
  };
  return {
    oidc,
    calls,
    set: (next: typeof mode) => {
      mode = next;
    },
    release: () => release(),
  };
}

describe('pending sign-outs (real Redis)', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await createTestRedis('bff-pending-sign-outs');
  });
  afterAll(() => t.cleanup());

  const queue = (namespace: string, oidc: PendingSignOutsOptions['oidc']) =>
    createPendingSignOuts({
      redis: t.redis,
      namespace,
      passwords: TEST_PASSWORDS,
      oidc,
      logger: silent,
      retryForSeconds: 3600,
      baseDelayMs: 0,
    });
  /** Makes every queued job due now (the backoff is not what these tests are about). */
  const dueNow = async (namespace: string) => {
    const key = `bff:${namespace}:sign-outs-pending`;
    for (const member of await t.redis.zrange(key, 0, -1)) await t.redis.zadd(key, 'XX', 0, member);
  };

  it('retries what the provider did not take, and only that, until it is done', async () => {
    const p = provider();
    const q = queue('retry', p.oidc);
    await q.add({ userId: 'u1', refreshToken: 'rt-1', idToken: 'idt-1' });
    p.set('down');
    expect(await q.runDue()).toBe(0);
    expect(await q.size()).toBe(1);
    p.set('up');
    await dueNow('retry');
    expect(await q.runDue()).toBe(1);
    expect(p.calls).toEqual({ revoked: ['rt-1'], ended: ['idt-1'] });
    expect(await q.size()).toBe(0);
  });

  it('keeps a job queued while an instance works on it, so it survives that instance dying', async () => {
    const p = provider();
    const first = queue('lease', p.oidc);
    await first.add({ userId: 'u2', refreshToken: 'rt-2' });
    p.set('hang');
    const inFlight = first.runDue();
    // Claimed: still queued, its score moved to the end of the lease.
    const leasedUntil = async () =>
      Number((await t.redis.zrange('bff:lease:sign-outs-pending', 0, -1, 'WITHSCORES'))[1]);
    await expect.poll(leasedUntil).toBeGreaterThan(Date.now() + 30_000);
    expect(await t.redis.zcard('bff:lease:sign-outs-pending')).toBe(1);
    // A second instance does not take a job under lease…
    const other = provider();
    const second = queue('lease', other.oidc);
    expect(await second.runDue()).toBe(0);
    expect(other.calls.revoked).toEqual([]);
    // …but once the lease ends (the first instance died), it does.
    await dueNow('lease');
    expect(await second.runDue()).toBe(1);
    expect(other.calls.revoked).toEqual(['rt-2']);
    p.set('up');
    p.release();
    await inFlight;
  });

  it('holds no token in clear in Redis', async () => {
    const q = queue('sealed', provider().oidc);
    await q.add({ userId: 'u3', refreshToken: 'secret-refresh-token', idToken: 'secret-id-token' });
    const [member] = await t.redis.zrange('bff:sealed:sign-outs-pending', 0, -1);
    expect(member).toMatch(/^Fe26\.2\*/);
    expect(member).not.toContain('secret-');
  });
});
