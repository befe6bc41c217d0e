import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

const password = 'correct horse';
let auth: TestAuthService;
beforeAll(async () => {
  auth = await startAuthService();
});
afterAll(() => auth.close());

describe('ending all of a user’s sessions', () => {
  it('lets a sign-in made right after it through (the not-before second is over when it answers)', async () => {
    const user = await auth.createUser({ email: 'right-after@example.com', password });
    const before = await auth.signIn('right-after@example.com', password);
    await auth.service.sessions.revokeAll(user.id);
    // The old token is refused…
    const old = decodeJwt(before.access_token);
    const inspect = (iat: number) =>
      auth.service.revocation.inspect({ userId: user.id, issuedAt: iat, jti: undefined, sid: undefined });
    expect((await inspect(old.iat!)).reason).toBe('user_logged_out');
    // …and a sign-in at once afterwards (a password reset, then signing in) is not.
    const after = decodeJwt((await auth.signIn('right-after@example.com', password)).access_token);
    expect((await inspect(after.iat!)).reason).toBeNull();
  });
});
