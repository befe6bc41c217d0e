import { describe, expect, it } from 'vitest';
import type { AccessTokenIdentity } from './access-token-identity';
import { createVerifiedTokenCache } from './verified-token-cache';

const identity = (expiresAt: number): AccessTokenIdentity => ({
  userId: 'u1',
  roles: ['user'],
  scope: ['openid'],
  sid: 's1',
  jti: 'j1',
  clientId: 'user-web',
  issuedAt: expiresAt - 900,
  expiresAt,
  acr: undefined,
  authTime: undefined,
  name: undefined,
  email: undefined,
  boundKey: undefined,
});

describe('verified token cache', () => {
  it('forgets a token once it expired, with the clock tolerance jose applies', () => {
    let now = 1_700_000_000_000;
    const cache = createVerifiedTokenCache({ clockToleranceSec: 5, now: () => now });
    const exp = now / 1000 + 10;
    cache.set('token', identity(exp));
    expect(cache.get('token')).toMatchObject({ userId: 'u1' });
    now = (exp + 4) * 1000; // expired, but within the tolerance
    expect(cache.get('token')).toMatchObject({ userId: 'u1' });
    now = (exp + 5) * 1000; // jose: expired when exp <= now - tolerance
    expect(cache.get('token')).toBeUndefined();
  });

  it('keeps a token no longer than its time to live, so a withdrawn signing key stops passing', () => {
    let now = 1_700_000_000_000;
    const cache = createVerifiedTokenCache({ clockToleranceSec: 0, ttlMs: 60_000, now: () => now });
    cache.set('token', identity(now / 1000 + 3600));
    now += 59_000;
    expect(cache.get('token')).toBeDefined();
    now += 2_000;
    expect(cache.get('token')).toBeUndefined();
  });

  it('freezes what it keeps', () => {
    const cache = createVerifiedTokenCache({ clockToleranceSec: 0 });
    cache.set('token', identity(Math.floor(Date.now() / 1000) + 60));
    const kept = cache.get('token')!;
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.roles) && Object.isFrozen(kept.scope)).toBe(true);
  });
});
