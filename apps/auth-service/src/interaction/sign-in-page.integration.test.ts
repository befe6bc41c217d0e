import { createServiceMetrics, type ServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

const METRICS_TOKEN = 'sign-in-test-metrics-token';

describe('sign-in page', () => {
  let auth: TestAuthService;
  let metrics: ServiceMetrics;
  const password = 'correct horse';
  beforeAll(async () => {
    metrics = createServiceMetrics({ service: 'auth-service' });
    auth = await startAuthService({ telemetry: { metrics, metricsToken: METRICS_TOKEN } });
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

  it('counts refused sign-ins and rate-limited attempts, scraped from /metrics with the token', async () => {
    const scrape = async () => {
      const res = await fetch(`${auth.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      const value = (name: string) =>
        Number(new RegExp(`^${name}\\{service="auth-service"\\} (\\d+)$`, 'm').exec(text)?.[1]);
      return {
        failures: value('auth_sign_in_failures_total'),
        limited: value('auth_sign_in_limited_total'),
        text,
      };
    };
    expect((await fetch(`${auth.url}/metrics`)).status).toBe(401);
    const before = await scrape();
    await auth.createUser({ email: 'counted@example.com', password });
    for (let i = 0; i < 6; i++) await attempt('counted@example.com', `guess-${i}`);
    const after = await scrape();
    expect(after.failures - before.failures).toBe(5);
    expect(after.limited - before.limited).toBe(1);
    expect(after.text).toMatch(/^auth_signing_key_age_seconds\{service="auth-service"\} [\d.]+$/m);
    expect(after.text).toContain('route="/interaction",status="401"');
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
