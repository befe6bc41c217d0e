import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

const password = 'correct horse';
let auth: TestAuthService;
beforeAll(async () => {
  auth = await startAuthService();
  await auth.createUser({ email: 'pushed@example.com', password });
});
afterAll(() => auth.close());

describe('pushed authorization requests (PAR, RFC 9126)', () => {
  it('signs in through a pushed request, from the password to the tokens', async () => {
    const result = await auth.signInOverHttp({
      clientId: 'user-web',
      email: 'pushed@example.com',
      password,
      pushed: true,
    });
    if (!result.ok) throw new Error(`${result.status}: ${result.page.slice(0, 400)}`);
    expect(result.tokens.access_token).toBeDefined();
  });
});
