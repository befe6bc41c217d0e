import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAuthService, startFakeAuthService } from '../testing/fake-auth-service';
import { createClientCredentialsTokenSource } from './client-credentials';

describe('client-credentials token source (real HTTP, stand-in token endpoint)', () => {
  let upstream: FakeAuthService;
  beforeAll(async () => {
    upstream = await startFakeAuthService();
  });
  afterAll(async () => {
    await upstream?.close();
  });
  afterEach(() => {
    upstream.tokenLifetimeSec = 300;
  });

  const source = (overrides: Partial<Parameters<typeof createClientCredentialsTokenSource>[0]> = {}) =>
    createClientCredentialsTokenSource({
      issuer: upstream.issuer,
      tokenUrl: upstream.tokenUrl,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      resource: upstream.internalResource,
      scope: 'users:manage',
      ...overrides,
    });

  it('fetches one token for 20 concurrent callers and then serves it from the cache', async () => {
    const tokens = source();
    const before = upstream.tokenRequests;
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(new Set(all).size).toBe(1);
    expect(upstream.tokenRequests - before).toBe(1);
    expect(await tokens.getToken()).toBe(all[0]);
    expect(upstream.tokenRequests - before).toBe(1);
  });

  it('asks with client_secret_basic for the internal resource and scope', async () => {
    await source().getToken();
    const params = upstream.lastTokenParams!;
    expect(params.get('grant_type')).toBe('client_credentials');
    expect(params.get('resource')).toBe(upstream.internalResource);
    expect(params.get('scope')).toBe('users:manage');
    expect(params.get('client_secret')).toBeNull(); // the secret travels in the Authorization header only
  });

  it('renews shortly before expiry, once for many concurrent callers', async () => {
    upstream.tokenLifetimeSec = 1;
    const tokens = source({ refreshSkewSec: 0 });
    const first = await tokens.getToken();
    await new Promise((r) => setTimeout(r, 1100));
    const before = upstream.tokenRequests;
    const renewed = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(upstream.tokenRequests - before).toBe(1);
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(first);
  });

  it('fetches a new token after the cached one is invalidated', async () => {
    const tokens = source();
    const first = await tokens.getToken();
    tokens.invalidate('some-other-token');
    expect(await tokens.getToken()).toBe(first);
    tokens.invalidate(first);
    expect(await tokens.getToken()).not.toBe(first);
  });

  it('fails with 502 auth_service_rejected_credentials for a wrong secret', async () => {
    await expect(source({ clientSecret: 'wrong' }).getToken()).rejects.toMatchObject({
      status: 502,
      code: 'auth_service_rejected_credentials',
    });
  });

  it('fails with 503 auth_service_unavailable when the token endpoint is down, and tries again next time', async () => {
    const down = await startFakeAuthService();
    await down.close();
    const tokens = source({ tokenUrl: down.tokenUrl });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503, code: 'auth_service_unavailable' });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503 });
  });
});
