import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAuthService, startFakeAuthService } from '../testing/fake-auth-service';
import { createTokenExchangeSource } from './client-credentials';

describe('token-exchange source (real HTTP, stand-in token endpoint)', () => {
  let upstream: FakeAuthService;
  beforeAll(async () => {
    upstream = await startFakeAuthService();
  });
  afterAll(async () => {
    await upstream?.close();
  });

  const source = (overrides: Partial<Parameters<typeof createTokenExchangeSource>[0]> = {}) =>
    createTokenExchangeSource({
      issuer: upstream.issuer,
      tokenUrl: upstream.tokenUrl,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      resource: upstream.internalResource,
      ...overrides,
    });

  it('asks with client_secret_basic for the internal resource, naming the subject token (RFC 8693)', async () => {
    await source().getToken('admin-token-1');
    const params = upstream.lastTokenParams!;
    expect(Object.fromEntries(params)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'admin-token-1',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: upstream.internalResource,
    });
  });

  it('exchanges once per subject token for concurrent callers, and never gives one subject another’s token', async () => {
    const tokens = source();
    const before = upstream.tokenRequests;
    const [a, b] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, () => tokens.getToken('subject-a'))),
      Promise.all(Array.from({ length: 10 }, () => tokens.getToken('subject-b'))),
    ]);
    expect(new Set(a).size).toBe(1);
    expect(new Set(b).size).toBe(1);
    expect(a[0]).not.toBe(b[0]);
    expect(upstream.tokenRequests - before).toBe(2);
    expect(await tokens.getToken('subject-a')).toBe(a[0]);
    expect(upstream.tokenRequests - before).toBe(2);
  });

  it('exchanges anew after the token of that subject is invalidated, and only for that subject', async () => {
    const tokens = source();
    const a = await tokens.getToken('subject-a');
    const b = await tokens.getToken('subject-b');
    tokens.invalidate('subject-a', b);
    expect(await tokens.getToken('subject-a')).toBe(a);
    tokens.invalidate('subject-a', a);
    expect(await tokens.getToken('subject-a')).not.toBe(a);
    expect(await tokens.getToken('subject-b')).toBe(b);
  });

  it('keeps at most cacheSize subjects, dropping the least recently used', async () => {
    const tokens = source({ cacheSize: 2 });
    const a = await tokens.getToken('subject-a');
    await tokens.getToken('subject-b');
    await tokens.getToken('subject-a'); // a is now the most recently used
    await tokens.getToken('subject-c'); // b goes
    const before = upstream.tokenRequests;
    expect(await tokens.getToken('subject-a')).toBe(a);
    expect(upstream.tokenRequests).toBe(before);
    await tokens.getToken('subject-b');
    expect(upstream.tokenRequests - before).toBe(1);
  });

  it('fails with 403 auth_service_refused_subject when the auth service will not act for the subject', async () => {
    upstream.refusedSubjects.add('revoked-admin-token');
    await expect(source().getToken('revoked-admin-token')).rejects.toMatchObject({
      status: 403,
      code: 'auth_service_refused_subject',
    });
  });

  it('fails with 502 auth_service_rejected_credentials for a wrong secret, 503 when the endpoint is down', async () => {
    await expect(source({ clientSecret: 'wrong' }).getToken('s')).rejects.toMatchObject({
      status: 502,
      code: 'auth_service_rejected_credentials',
    });
    const down = await startFakeAuthService();
    await down.close();
    await expect(source({ tokenUrl: down.tokenUrl }).getToken('s')).rejects.toMatchObject({
      status: 503,
      code: 'auth_service_unavailable',
    });
  });
});
