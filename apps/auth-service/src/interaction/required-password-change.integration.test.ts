import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import { CookieJar, startAuthService, type TestAuthService } from '../testing';

const PASSWORD = 'correct horse';
const ADMIN = '33333333-3333-4333-8333-333333333333';

/** "Require password change at next sign-in": the internal API sets it, the sign-in asks for it. */
describe('required password change', () => {
  let auth: TestAuthService;
  let token: string;
  beforeAll(async () => {
    auth = await startAuthService({
      loginLimits: { failuresPerAccountAndIp: 50, attemptsPerIp: 10_000, windowSeconds: 60 },
    });
    token = await auth.adminApiToken();
  });
  afterAll(() => auth.close());

  const requireChange = (id: string, actor: string | null = ADMIN) =>
    fetch(`${auth.internalUrl}/users/${encodeURIComponent(id)}/require-password-change`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(actor === null ? {} : { 'x-acting-admin': actor }),
      },
    });
  const signIn = (email: string, password: string, newPassword?: string) =>
    auth.signInOverHttp({
      clientId: 'user-web',
      email,
      password,
      ...(newPassword === undefined ? {} : { newPassword }),
    });

  it('is set by the internal API (audited), asked after the password, and cleared by the new password', async () => {
    const user = await auth.createUser({ email: 'must-change@example.com', password: PASSWORD });
    const res = await requireChange(user.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { passwordChangeRequired: true } });
    expect(await adminAudit.list(auth.db, { targetId: user.id })).toMatchObject([
      {
        action: 'users.password_change.require',
        actorId: ADMIN,
        clientId: 'admin-api',
        outcome: 'success',
        before: { passwordChangeRequired: false },
        after: { passwordChangeRequired: true },
      },
    ]);

    // The right password alone does not finish the sign-in: the change page comes first.
    const stopped = await signIn('must-change@example.com', PASSWORD);
    expect(stopped.ok).toBe(false);
    if (stopped.ok) return;
    expect(stopped.page).toContain('Choose a new password');
    expect(stopped.page).toContain('/change-password');

    // The same password again is refused; a new one finishes the sign-in.
    const same = await signIn('must-change@example.com', PASSWORD, PASSWORD);
    expect(same.ok).toBe(false);
    if (!same.ok) expect(same.page).toContain('Choose a password different from the current one');
    expect((await signIn('must-change@example.com', PASSWORD, 'brand new ladder')).ok).toBe(true);

    // Done once: the flag is gone, the old password no longer works, the new one signs straight in.
    expect(await auth.service.users.passwordChangeRequired(user.id)).toBe(false);
    expect((await signIn('must-change@example.com', PASSWORD)).ok).toBe(false);
    expect((await signIn('must-change@example.com', 'brand new ladder')).ok).toBe(true);
    const actions = (await adminAudit.list(auth.db, { targetId: user.id })).map((r) => r.action);
    expect(actions).toEqual(['users.password_change.require', 'account.password.required_change']);
  });

  it('comes after the second factor too, and the sign-in keeps the factors given (amr pwd + otp)', async () => {
    const user = await auth.createUser({ email: 'two-step-change@example.com', password: PASSWORD });
    const accountToken = await auth.userApiToken();
    const account = (path: string, body: unknown) =>
      fetch(`${auth.accountUrl}/users/${user.id}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accountToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => res.json() as Promise<{ data: { manualKey: string } }>);
    const { manualKey } = (await account('/two-step/enrolment', {})).data;
    const totp = new TOTP({ secret: Secret.fromBase32(manualKey) });
    // Codes work once: the confirmation uses this step's code, the sign-in the next step's.
    await account('/two-step/confirm', { code: totp.generate() });
    await requireChange(user.id);
    const result = await auth.signInOverHttp({
      clientId: 'user-web',
      email: 'two-step-change@example.com',
      password: PASSWORD,
      code: () => totp.generate({ timestamp: Date.now() + 30_000 }),
      newPassword: 'after the code pass',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(decodeJwt(result.tokens.id_token!).amr).toEqual(['pwd', 'otp']);
    expect(await auth.service.users.passwordChangeRequired(user.id)).toBe(false);
  });

  it('cannot be reached without the password: the page is expired for a fresh interaction', async () => {
    const user = await auth.createUser({ email: 'no-skip@example.com', password: PASSWORD });
    await requireChange(user.id);
    const url = await auth.authorizeUrl('user-web', {
      response_type: 'code',
      redirect_uri: 'http://localhost:3002/api/auth/callback',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    const authorize = await fetch(url, { redirect: 'manual' });
    const jar = new CookieJar();
    jar.store(authorize);
    const location = authorize.headers.get('location')!;
    expect(location).toMatch(/^\/interaction\/[\w-]+$/);
    const uid = location.split('/').at(-1)!;
    const res = await fetch(`${auth.url}/interaction/${uid}/change-password`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: 'sneaky new pass', confirm: 'sneaky new pass' }).toString(),
    });
    expect(res.status).toBe(400);
    expect((await signIn('no-skip@example.com', PASSWORD, 'another ladder x')).ok).toBe(true);
  });

  it('refuses unknown users and a missing actor cleanly, and never answers a 5xx', async () => {
    expect((await requireChange('44444444-4444-4444-8444-444444444444')).status).toBe(404);
    const user = await auth.createUser({ email: 'actorless@example.com', password: PASSWORD });
    expect((await requireChange(user.id, null)).status).toBe(422);
    expect(await auth.service.users.passwordChangeRequired(user.id)).toBe(false);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (id) => {
        const res = await requireChange(id || 'x').catch(() => undefined);
        if (res) expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
  });

  it('never answers the change page with a 5xx, whatever the form', async () => {
    const user = await auth.createUser({ email: 'fuzz-change@example.com', password: PASSWORD });
    await requireChange(user.id);
    const stopped = await signIn('fuzz-change@example.com', PASSWORD);
    if (stopped.ok) throw new Error('the change page did not come');
    const action = /<form method="post" action="([^"]+)"/.exec(stopped.page)![1]!;
    const { jar } = stopped;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('password', 'confirm', 'x'), fc.string({ unit: 'binary' })),
        async (fields) => {
          const res = await fetch(`${auth.url}${action}`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
            body: new URLSearchParams(fields).toString(),
          });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 30 },
    );
    // Nothing the fuzzer sent was a valid change (`x`-only forms and mismatches), or it finished the
    // sign-in: either way the flag is gone only together with a new password.
    const required = await auth.service.users.passwordChangeRequired(user.id);
    expect(required || !(await signIn('fuzz-change@example.com', PASSWORD)).ok).toBe(true);
  });
});
