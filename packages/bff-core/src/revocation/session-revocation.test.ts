import type { RevocationStore } from '@bff-auth/revocation';
import { describe, expect, it, vi } from 'vitest';
import { unverifiedClaims } from '../oidc/token-set';
import type { SessionData } from '../session/session-data';
import { checkSessionRevocation } from './session-revocation';

vi.mock('../oidc/token-set', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../oidc/token-set')>();
  return { ...actual, unverifiedClaims: vi.fn(actual.unverifiedClaims) };
});

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const accessToken = (claims: object) => `${part({ alg: 'RS256', typ: 'at+jwt' })}.${part(claims)}.sig`;

const sessionData = (jti: string): SessionData => ({
  v: 1,
  uid: 'user-1',
  sid: 'sid-1',
  cat: 1_700_000_000,
  at: accessToken({ sub: 'user-1', jti, iat: 1_700_000_100 }),
  ate: 1_700_000_400,
  rt: 'refresh-token',
  idt: 'id-token',
});

describe('checkSessionRevocation', () => {
  it('decodes the access token once per session data object, not on every request', async () => {
    const inspect = vi.fn(async () => ({ reason: null, rolesChangedAt: 1_700_000_100 }));
    const store = { inspect } as unknown as RevocationStore;
    const decode = vi.mocked(unverifiedClaims);
    decode.mockClear();
    const data = sessionData('jti-1');
    for (let i = 0; i < 5; i++) {
      expect(await checkSessionRevocation(store, data)).toEqual({
        reason: null,
        rolesChanged: true, // a change in the token's own second counts as stale
        rolesChangedAt: 1_700_000_100,
      });
    }
    expect(decode).toHaveBeenCalledTimes(1);
    expect(inspect).toHaveBeenLastCalledWith({
      userId: 'user-1',
      sid: 'sid-1',
      jti: 'jti-1',
      issuedAt: 1_700_000_000,
    });
    // A refresh makes a new data object: its new token is read.
    await checkSessionRevocation(store, sessionData('jti-2'));
    expect(decode).toHaveBeenCalledTimes(2);
    expect(inspect).toHaveBeenLastCalledWith(expect.objectContaining({ jti: 'jti-2' }));
  });
});
