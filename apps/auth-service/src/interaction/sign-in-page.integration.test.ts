import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

describe('sign-in page', () => {
  let auth: TestAuthService;
  const password = 'correct horse';
  beforeAll(async () => {
    auth = await startAuthService();
    await auth.createUser({ email: 'mary@example.com', password });
  });
  afterAll(() => auth.close());

  const attempt = (email: string, pw: string) =>
    auth.signInOverHttp({ clientId: 'user-web', email, password: pw });

  it('shows an accessible form with Email, Password and a Sign in button, and a strict CSP', async () => {
    const result = await attempt('mary@example.com', 'wrong password');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.page).toMatch(/<label for="email">Email/);
    expect(result.page).toMatch(/<label for="password">Password/);
    expect(result.page).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(result.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('says the email or password is wrong, without saying which, and keeps the email', async () => {
    const wrongPassword = await attempt('mary@example.com', 'nope nope');
    const unknownUser = await attempt('nobody@example.com', 'nope nope');
    for (const result of [wrongPassword, unknownUser]) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.status).toBe(401);
      expect(result.page).toContain('Incorrect email or password.');
    }
    if (!unknownUser.ok) expect(unknownUser.page).toContain('value="nobody@example.com"');
  });

  it('answers a form with missing fields with 400 and a message', async () => {
    const result = await attempt('', '');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.status).toBe(400);
      expect(result.page).toContain('Enter your email');
    }
  });

  it('answers the sixth bad password within a minute with a 429 page and Retry-After', async () => {
    await auth.createUser({ email: 'brute@example.com', password });
    for (let i = 0; i < 5; i++) {
      const result = await attempt('brute@example.com', `guess-${i}`);
      expect(result.ok ? 200 : result.status).toBe(401);
    }
    const sixth = await attempt('brute@example.com', 'guess-6');
    expect(sixth.ok).toBe(false);
    if (sixth.ok) return;
    expect(sixth.status).toBe(429);
    expect(sixth.page).toContain('Too many sign-in attempts');
    expect(Number(sixth.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password is refused until the window passes.
    const right = await attempt('brute@example.com', password);
    expect(right.ok ? 200 : right.status).toBe(429);
  });

  it('answers an unknown interaction with a clear 400 page', async () => {
    const response = await fetch(`${auth.url}/interaction/does-not-exist`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('sign-in link has expired');
  });

  it('records the last sign-in time', async () => {
    await auth.signIn('mary@example.com', password);
    const user = await auth.service.users.findCredentials('MARY@example.com');
    expect(user?.user.lastSignInAt).toEqual(expect.any(String));
  });
});

describe('sign-in rate limit per IP', () => {
  it('refuses attempts beyond the per-IP limit whichever account they name', async () => {
    const auth = await startAuthService({
      loginLimits: { failuresPerAccountAndIp: 100, attemptsPerIp: 3, windowSeconds: 60 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await auth.signInOverHttp({
          clientId: 'user-web',
          email: `u${i}@example.com`,
          password: 'x',
        });
        expect(r.ok ? 200 : r.status).toBe(401);
      }
      const r = await auth.signInOverHttp({
        clientId: 'user-web',
        email: 'other@example.com',
        password: 'x',
      });
      expect(r.ok ? 200 : r.status).toBe(429);
    } finally {
      await auth.close();
    }
  });
});
