import { ACR } from '@bff-auth/claims';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import { CookieJar, startAuthService, type TestAuthService } from '../testing';

const STEP = 30_000;
const password = 'correct horse staple';
const codeAt = (manualKey: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(manualKey) }).generate({ timestamp });
const claimsOf = (tokens: { access_token: string }) =>
  decodeJwt(tokens.access_token) as { acr?: string; amr?: string[]; auth_time?: number };
/** oidc-provider's max_age check compares whole seconds: let one go by. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100));

/**
 * SPEC §12, issue #12 part 3 at the provider: admins must have TOTP to use the admin app (enrolment at
 * sign-in), and a step-up (`max_age` + `acr_values`) really signs in again, with the code.
 */
describe.each([true, false])('admin two-step rule (ADMIN_TWO_STEP_REQUIRED=%s)', (required) => {
  let auth: TestAuthService;
  let clock = Date.parse('2026-06-01T12:00:00Z');
  let n = 0;
  const email = (label: string) => `${label}-${required}-${++n}@example.com`;

  beforeAll(async () => {
    auth = await startAuthService({
      loginLimits: { failuresPerAccountAndIp: 50, attemptsPerIp: 1000, windowSeconds: 60 },
      now: () => clock,
      env: { ADMIN_TWO_STEP_REQUIRED: String(required) },
    });
  });
  afterAll(() => auth.close());

  /** The code of the next step (each code works once). */
  const nextCode = (manualKey: string) => {
    clock += STEP;
    return codeAt(manualKey, clock);
  };

  it(`an admin without TOTP signing in to admin-web ${required ? 'sets it up after the password' : 'uses the password alone'}`, async () => {
    const admin = await auth.createUser({ email: email('admin'), password, roles: ['user', 'admin'] });
    let shownKey = '';
    const result = await auth.signInOverHttp({
      clientId: 'admin-web',
      email: admin.email,
      password,
      setupCode: (manualKey) => {
        shownKey = manualKey;
        return codeAt(manualKey, clock);
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const claims = claimsOf(result.tokens);
    if (!required) {
      expect(shownKey).toBe('');
      expect(claims).toMatchObject({ acr: ACR.password, amr: ['pwd'] });
      expect(await auth.service.twoStep.isEnabled(admin.id)).toBe(false);
      return;
    }
    expect(shownKey).toMatch(/^[A-Z2-7]{32}$/);
    expect(claims).toMatchObject({ acr: ACR.twoStep, amr: ['pwd', 'otp'] });
    expect(await auth.service.twoStep.isEnabled(admin.id)).toBe(true);
    const audit = await adminAudit.list(auth.db, { targetId: admin.id });
    expect(audit.map((a) => a.action)).toContain('account.two-step.enable');
    // From now on the code page asks for the app's code, not a new set-up.
    const again = await auth.signIn(admin.email, password, {
      clientId: 'admin-web',
      code: () => nextCode(shownKey),
    });
    expect(claimsOf(again)).toMatchObject({ acr: ACR.twoStep });
  });

  it('the set-up page refuses a wrong first code and keeps the same key', async () => {
    if (!required) return;
    const admin = await auth.createUser({ email: email('wrong'), password, roles: ['user', 'admin'] });
    const keys: string[] = [];
    const refused = await auth.signInOverHttp({
      clientId: 'admin-web',
      email: admin.email,
      password,
      setupCode: (manualKey) => {
        keys.push(manualKey);
        return codeAt(manualKey, clock) === '000000' ? '111111' : '000000';
      },
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.status).toBe(401);
    expect(refused.page).toContain('That code is not valid');
    expect(refused.page).toContain(keys[0]!.replace(/(.{4})/g, '$1 ').trim());
    expect(await auth.service.twoStep.isEnabled(admin.id)).toBe(false);
  });

  it('an admin without TOTP signs in to user-web with the password alone; a non-admin to admin-web too', async () => {
    const admin = await auth.createUser({ email: email('user-web'), password, roles: ['user', 'admin'] });
    expect(claimsOf(await auth.signIn(admin.email, password))).toMatchObject({ acr: ACR.password });
    const user = await auth.createUser({ email: email('plain'), password });
    const tokens = await auth.signIn(user.email, password, { clientId: 'admin-web' });
    expect(claimsOf(tokens)).toMatchObject({ acr: ACR.password });
  });

  it(`single sign-on from a password-only user-web session into admin-web ${required ? 'asks to sign in again' : 'goes straight through'}`, async () => {
    const admin = await auth.createUser({ email: email('sso'), password, roles: ['user', 'admin'] });
    const jar = new CookieJar();
    await auth.signIn(admin.email, password, { jar });
    // A wrong password shows whether the sign-in form came at all.
    const sso = await auth.signInOverHttp({
      clientId: 'admin-web',
      email: admin.email,
      password: 'wrong',
      jar,
    });
    expect(sso.ok).toBe(!required);
    if (!sso.ok) expect(sso.page).toContain('Incorrect email or password.');
  });

  it('max_age forces a new sign-in with the code and a fresh auth_time; without it single sign-on goes straight through', async () => {
    const user = await auth.createUser({ email: email('max-age'), password, roles: ['user', 'admin'] });
    const manualKey = await enrol(user.id);
    const jar = new CookieJar();
    const first = await auth.signIn(user.email, password, { jar, code: () => nextCode(manualKey) });
    const firstAuth = claimsOf(first).auth_time!;
    expect(firstAuth).toBeTypeOf('number');
    await nextSecond();

    const sso = await auth.signInOverHttp({
      clientId: 'user-web',
      email: user.email,
      password: 'wrong',
      jar,
    });
    expect(sso.ok).toBe(true);

    const stale = await auth.signInOverHttp({
      clientId: 'user-web',
      email: user.email,
      password: 'wrong',
      jar,
      extraParams: { max_age: '0' },
    });
    expect(stale.ok).toBe(false);

    let codesAsked = 0;
    const stepUp = await auth.signIn(user.email, password, {
      jar,
      extraParams: { max_age: '0', acr_values: ACR.twoStep },
      code: () => {
        codesAsked++;
        return nextCode(manualKey);
      },
    });
    expect(codesAsked).toBe(1);
    expect(claimsOf(stepUp)).toMatchObject({ acr: ACR.twoStep, amr: ['pwd', 'otp'] });
    expect(claimsOf(stepUp).auth_time).toBeGreaterThan(firstAuth);
  });

  it('acr_values with the two-step acr asks a session signed in with a password alone for the code, once TOTP is on', async () => {
    const user = await auth.createUser({ email: email('acr'), password });
    const jar = new CookieJar();
    expect(claimsOf(await auth.signIn(user.email, password, { jar }))).toMatchObject({ acr: ACR.password });
    const manualKey = await enrol(user.id);

    const plain = await auth.signInOverHttp({
      clientId: 'user-web',
      email: user.email,
      password: 'wrong',
      jar,
    });
    expect(plain.ok).toBe(true);
    const asked = await auth.signInOverHttp({
      clientId: 'user-web',
      email: user.email,
      password: 'wrong',
      jar,
      extraParams: { acr_values: ACR.twoStep },
    });
    expect(asked.ok).toBe(false);
    const stepUp = await auth.signIn(user.email, password, {
      jar,
      extraParams: { acr_values: ACR.twoStep },
      code: () => nextCode(manualKey),
    });
    expect(claimsOf(stepUp)).toMatchObject({ acr: ACR.twoStep });
  });

  it('an account without TOTP steps up with its password again (fresh auth_time, password acr), never in a loop', async () => {
    const user = await auth.createUser({ email: email('no-totp'), password });
    const jar = new CookieJar();
    const first = claimsOf(await auth.signIn(user.email, password, { jar }));
    await nextSecond();
    const stepUp = claimsOf(
      await auth.signIn(user.email, password, {
        jar,
        extraParams: { max_age: '0', acr_values: ACR.twoStep },
      }),
    );
    expect(stepUp).toMatchObject({ acr: ACR.password, amr: ['pwd'] });
    expect(stepUp.auth_time).toBeGreaterThan(first.auth_time!);
  });

  /** Turns TOTP on for a user through the account API; the manual key. */
  async function enrol(userId: string): Promise<string> {
    const { secret } = await auth.service.twoStep.begin(userId, 'test');
    await auth.service.twoStep.confirm(userId, nextCode(secret), { requestId: 'test', clientId: 'test' });
    return secret;
  }
});
