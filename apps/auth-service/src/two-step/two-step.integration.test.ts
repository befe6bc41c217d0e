import { ACR } from '@bff-auth/claims';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import { CookieJar, startAuthService, type TestAuthService } from '../testing';

/** Two-step verification: the account API (enrol, confirm, disable) and the code page of the sign-in. */
describe('two-step verification (TOTP)', () => {
  let auth: TestAuthService;
  let token: string;
  // The service's clock for codes: tests move it a step at a time instead of waiting.
  let clock = Date.parse('2026-06-01T12:00:00Z');
  const STEP = 30_000;
  const password = 'correct horse';

  beforeAll(async () => {
    auth = await startAuthService({
      loginLimits: { failuresPerAccountAndIp: 5, attemptsPerIp: 1000, windowSeconds: 60 },
      now: () => clock,
    });
    token = await auth.userApiToken();
  });
  afterAll(() => auth.close());

  const call = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
    fetch(`${auth.accountUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const data = async <T>(response: Response) => ((await response.json()) as { data: T }).data;
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code;
  const codeAt = (manualKey: string, timestamp: number) =>
    new TOTP({ secret: Secret.fromBase32(manualKey) }).generate({ timestamp });

  /** A user with two-step verification on: the manual key and the recovery codes. */
  async function enrolled(email: string) {
    const user = await auth.createUser({ email, password });
    const enrolment = await data<{ manualKey: string; otpauthUri: string; qrSvg: string }>(
      await call(`/users/${user.id}/two-step/enrolment`, {}),
    );
    const confirmed = await call(`/users/${user.id}/two-step/confirm`, {
      code: codeAt(enrolment.manualKey, clock),
    });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = await data<{ recoveryCodes: string[] }>(confirmed);
    return { user, ...enrolment, recoveryCodes };
  }
  const signIn = (email: string, code?: () => string) =>
    auth.signInOverHttp({ clientId: 'user-web', email, password, ...(code ? { code } : {}) });

  it('enrols with a QR code and a manual key, stores the secret encrypted, and turns on with a code', async () => {
    const user = await auth.createUser({ email: 'enrol@example.com', password });
    const started = await call(`/users/${user.id}/two-step/enrolment`, {});
    expect(started.status).toBe(200);
    const { manualKey, otpauthUri, qrSvg } = await data<Record<string, string>>(started);
    expect(manualKey).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${manualKey}`);
    expect(qrSvg!.startsWith('<svg')).toBe(true);
    const { rows } = await auth.db.query<{ secret_jwe: string }>(
      'SELECT secret_jwe FROM user_totp WHERE user_id = $1',
      [user.id],
    );
    expect(rows[0]!.secret_jwe).not.toContain(manualKey);
    expect(rows[0]!.secret_jwe.split('.')).toHaveLength(5); // compact JWE
    // Not on until a code confirms it: the sign-in still asks for the password alone.
    expect(await data(await call(`/users/${user.id}/two-step`))).toEqual({
      enabled: false,
      recoveryCodesLeft: 0,
    });
    expect((await signIn('enrol@example.com')).ok).toBe(true);

    const wrong = await call(`/users/${user.id}/two-step/confirm`, { code: '000000' });
    expect(wrong.status).toBe(422);
    expect(await errorOf(wrong)).toBe('invalid_code');
    const confirmed = await call(`/users/${user.id}/two-step/confirm`, { code: codeAt(manualKey!, clock) });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = await data<{ recoveryCodes: string[] }>(confirmed);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await auth.db.query<{ code_hash: string }>(
      'SELECT code_hash FROM user_recovery_codes WHERE user_id = $1',
      [user.id],
    );
    expect(stored.rows.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);
    expect(await data(await call(`/users/${user.id}/two-step`))).toEqual({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    const audit = await adminAudit.list(auth.db, { targetId: user.id });
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        'account.two-step.enrol:success',
        'account.two-step.enable:refused',
        'account.two-step.enable:success',
      ]),
    );
    // A second enrolment cannot replace the secret while two-step verification is on.
    const again = await call(`/users/${user.id}/two-step/enrolment`, {});
    expect(again.status).toBe(409);
    expect(await errorOf(again)).toBe('two_step_enabled');
  });

  it('asks for a code after the password; amr and acr of the sign-in reach the ID and access tokens', async () => {
    const { manualKey } = await enrolled('signin@example.com');
    const withoutCode = await signIn('signin@example.com');
    expect(withoutCode.ok).toBe(false);
    if (!withoutCode.ok) expect(withoutCode.page).toContain('Authentication code');

    clock += STEP;
    const result = await signIn('signin@example.com', () => codeAt(manualKey, clock));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    for (const jwt of [result.tokens.id_token!, result.tokens.access_token]) {
      expect(decodeJwt(jwt)).toMatchObject({ amr: ['pwd', 'otp'], acr: ACR.twoStep });
    }
    const refreshed = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: result.tokens.refresh_token!,
    });
    expect(decodeJwt(refreshed.body.access_token!)).toMatchObject({ amr: ['pwd', 'otp'], acr: ACR.twoStep });

    await auth.createUser({ email: 'password-only@example.com', password });
    const plain = await signIn('password-only@example.com');
    expect(plain.ok && decodeJwt(plain.tokens.access_token)).toMatchObject({
      amr: ['pwd'],
      acr: ACR.password,
    });
  });

  it('refuses a wrong code, a used code and an expired one; accepts one step of drift', async () => {
    const { manualKey } = await enrolled('codes@example.com');
    clock += STEP;
    const current = codeAt(manualKey, clock);
    const wrong = await signIn('codes@example.com', () => (current === '123456' ? '654321' : '123456'));
    expect(wrong.ok || wrong.status).toBe(401);
    expect((await signIn('codes@example.com', () => codeAt(manualKey, clock - 2 * STEP))).ok).toBe(false);
    expect((await signIn('codes@example.com', () => current)).ok).toBe(true);
    // The same code again, within its 90 seconds: refused.
    expect((await signIn('codes@example.com', () => current)).ok).toBe(false);
    // The next step's code (the phone's clock a little ahead) works once.
    expect((await signIn('codes@example.com', () => codeAt(manualKey, clock + STEP))).ok).toBe(true);
    // An earlier step than the last used one is refused even inside the window.
    clock += STEP;
    expect((await signIn('codes@example.com', () => codeAt(manualKey, clock - STEP))).ok).toBe(false);
  });

  it('two sign-ins racing with one code: exactly one gets through', async () => {
    const { manualKey } = await enrolled('race@example.com');
    clock += STEP;
    const code = codeAt(manualKey, clock);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => signIn('race@example.com', () => code)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('a recovery code signs in once', async () => {
    const { user, recoveryCodes } = await enrolled('recovery@example.com');
    const [first, second] = recoveryCodes;
    // Typed in capitals and without dashes, it is the same code.
    const typed = first!.toUpperCase().replace(/-/g, '');
    expect((await signIn('recovery@example.com', () => typed)).ok).toBe(true);
    expect((await signIn('recovery@example.com', () => first!)).ok).toBe(false);
    expect((await signIn('recovery@example.com', () => second!)).ok).toBe(true);
    expect(await data(await call(`/users/${user.id}/two-step`))).toMatchObject({ recoveryCodesLeft: 8 });
  });

  it('the code page is rate-limited like passwords', async () => {
    await enrolled('limited@example.com');
    const jar = new CookieJar();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await auth.signInOverHttp({
        clientId: 'user-web',
        email: 'limited@example.com',
        password,
        jar,
        code: () => '000000',
      });
      statuses.push(result.ok ? 200 : result.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('limits wrong codes on the account API: 5 per user, then 429 even for the right code', async () => {
    const { user, manualKey } = await enrolled('limited-api@example.com');
    for (let i = 0; i < 5; i++) {
      expect((await call(`/users/${user.id}/two-step/disable`, { code: '000000' })).status).toBe(422);
    }
    clock += STEP;
    const limited = await call(`/users/${user.id}/two-step/disable`, { code: codeAt(manualKey, clock) });
    expect(limited.status).toBe(429);
    expect(await errorOf(limited)).toBe('too_many_attempts');
    expect(await data(await call(`/users/${user.id}/two-step`))).toMatchObject({ enabled: true });
  });

  it('turns off with a current code only; then sign-in asks for the password alone', async () => {
    const { user, manualKey } = await enrolled('disable@example.com');
    const wrong = await call(`/users/${user.id}/two-step/disable`, { code: '000000' });
    expect(wrong.status).toBe(422);
    expect(await data(await call(`/users/${user.id}/two-step`))).toMatchObject({ enabled: true });
    clock += STEP;
    const off = await call(`/users/${user.id}/two-step/disable`, { code: codeAt(manualKey, clock) });
    expect(off.status).toBe(200);
    expect(await data(await call(`/users/${user.id}/two-step`))).toEqual({
      enabled: false,
      recoveryCodesLeft: 0,
    });
    const left = await auth.db.query('SELECT 1 FROM user_recovery_codes WHERE user_id = $1', [user.id]);
    expect(left.rows).toHaveLength(0);
    expect((await signIn('disable@example.com')).ok).toBe(true);
    const audit = await adminAudit.list(auth.db, { targetId: user.id });
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining(['account.two-step.disable:refused', 'account.two-step.disable:success']),
    );
    expect((await call(`/users/${user.id}/two-step/disable`, { code: '000000' })).status).toBe(409);
  });

  it('answers any body on the two-step endpoints with success or a clean 4xx, and changes nothing on a refusal', async () => {
    const { user } = await enrolled('fuzz@example.com');
    const pendingUser = await auth.createUser({ email: 'fuzz-pending@example.com', password });
    await call(`/users/${pendingUser.id}/two-step/enrolment`, {});
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ code: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant(null)) }),
      fc.record({ code: fc.stringMatching(/^\d{6}$/), extra: fc.string() }, { requiredKeys: ['code'] }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('confirm', 'disable', 'enrolment'),
        fc.constantFrom(user.id, pendingUser.id, 'not-a-user', '%00'),
        body,
        async (action, userId, payload) => {
          const response = await call(`/users/${userId}/two-step/${action}`, payload);
          expect(response.status === 200 || (response.status >= 400 && response.status < 500)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
    expect(await data(await call(`/users/${user.id}/two-step`))).toEqual({
      enabled: true,
      recoveryCodesLeft: 10,
    });
    expect(await data(await call(`/users/${pendingUser.id}/two-step`))).toMatchObject({ enabled: false });
  });

  it('answers any form on the code page with a page, never a 5xx', async () => {
    await enrolled('fuzz-page@example.com');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary' })),
        async (code) => {
          const result = await signIn('fuzz-page@example.com', () => code);
          expect(result.ok).toBe(false);
          if (!result.ok) expect([400, 401, 429]).toContain(result.status);
        },
      ),
      { numRuns: 15 },
    );
  });
});
