import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import { startAuthService, type TestAuthService } from '../testing';
import { RESET_LINK_CLIENT } from './password-reset';

/** "Forgot password?" end to end over HTTP: the request page, the outbox, the link's page. */
describe('password reset', () => {
  let auth: TestAuthService;
  // The service's clock: tests move it past the link's 30 minutes instead of waiting.
  let clock = Date.now();
  const oldPassword = 'old horse battery';
  const newPassword = 'new staple ladder';

  beforeAll(async () => {
    auth = await startAuthService({
      now: () => clock,
      // The per-IP limit (every request comes from 127.0.0.1) out of the way; its own test below.
      resetLimits: { perEmail: 3, perIp: 10_000, linkUsesPerIp: 10_000, windowSeconds: 900 },
    });
  });
  afterAll(() => auth.close());

  const form = (path: string, fields: Record<string, string> | string) =>
    fetch(`${auth.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    }).then(async (res) => ({ status: res.status, page: await res.text(), headers: res.headers }));
  const page = (path: string) =>
    fetch(`${auth.url}${path}`, { redirect: 'manual' }).then(async (res) => ({
      status: res.status,
      page: await res.text(),
    }));
  const requestReset = (email: string) => form('/password-reset', { email });
  /** The token of the newest link the outbox holds for `email`. */
  async function linkFor(email: string) {
    const messages = (await auth.outbox()).filter((m) => m.to === email);
    const link = /(http\S+\/password-reset\/new\?token=(\S+))/.exec(messages.at(-1)?.text ?? '');
    if (!link) throw new Error(`no reset link for ${email}`);
    expect(new URL(link[1]!).origin).toBe(auth.issuer);
    return link[2]!;
  }
  const setPassword = (token: string, password: string, confirm = password) =>
    form('/password-reset/new', { token, password, confirm });
  const signIn = (email: string, password: string) =>
    auth.signInOverHttp({ clientId: 'user-web', email, password });

  it('sends a single-use link; setting the password ends every session, is audited, and only the new password works', async () => {
    const user = await auth.createUser({ email: 'reset@example.com', password: oldPassword });
    const before = await auth.signIn('reset@example.com', oldPassword);
    expect(await auth.service.sessions.list(user.id)).toHaveLength(1);

    const asked = await requestReset('Reset@Example.com');
    expect(asked.status).toBe(200);
    expect(asked.page).toContain('If an account exists for that email, we sent it a link');
    const token = await linkFor('reset@example.com');
    // Only the hash is stored.
    const { rows } = await auth.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM password_reset_tokens',
    );
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token);

    const opened = await page(`/password-reset/new?token=${token}`);
    expect(opened.status).toBe(200);
    expect(opened.page).toContain('Choose a new password');

    const done = await setPassword(token, newPassword);
    expect(done.status).toBe(200);
    expect(done.page).toContain('Password changed');

    expect(await auth.service.sessions.list(user.id)).toHaveLength(0);
    const refresh = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: before.refresh_token!,
    });
    expect(refresh.status).toBe(400);
    expect((await signIn('reset@example.com', oldPassword)).ok).toBe(false);
    expect((await signIn('reset@example.com', newPassword)).ok).toBe(true);

    const audit = await adminAudit.list(auth.db, { targetId: user.id });
    expect(audit.map((a) => a.action).sort()).toEqual([
      'account.password.reset',
      'account.password.reset_request',
    ]);
    // The request is audited too: who asked for whose link, from where (never the link).
    expect(audit.find((a) => a.action === 'account.password.reset_request')).toMatchObject({
      actorId: user.id,
      clientId: RESET_LINK_CLIENT,
      outcome: 'success',
      after: { ip: expect.any(String) },
    });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(audit.find((a) => a.action === 'account.password.reset')).toMatchObject({
      action: 'account.password.reset',
      actorId: user.id,
      clientId: RESET_LINK_CLIENT,
      outcome: 'success',
      after: { endedSessions: 1, ip: expect.any(String) },
    });

    // The link works once: the page and the form both say so, with a way to ask again.
    for (const again of [
      await page(`/password-reset/new?token=${token}`),
      await setPassword(token, 'third ladder x'),
    ]) {
      expect(again.status).toBe(400);
      expect(again.page).toContain('This link does not work any more');
      expect(again.page).toContain('href="/password-reset"');
    }
    expect((await signIn('reset@example.com', 'third ladder x')).ok).toBe(false);
  });

  it('answers an unknown email exactly like a known one, and sends nothing', async () => {
    await auth.createUser({ email: 'known@example.com', password: oldPassword });
    const known = await requestReset('known@example.com');
    const unknown = await requestReset('nobody@example.com');
    expect(unknown.status).toBe(known.status);
    expect(unknown.page).toBe(known.page);
    const recipients = (await auth.outbox()).map((m) => m.to);
    expect(recipients).toContain('known@example.com');
    expect(recipients).not.toContain('nobody@example.com');
  });

  it('refuses an expired link (after 30 minutes) and leaves the password as it was', async () => {
    const user = await auth.createUser({ email: 'late@example.com', password: oldPassword });
    await requestReset('late@example.com');
    const token = await linkFor('late@example.com');
    clock += 30 * 60_000 + 1000;
    const opened = await page(`/password-reset/new?token=${token}`);
    expect(opened.status).toBe(400);
    expect(opened.page).toContain('This link does not work any more');
    expect((await setPassword(token, newPassword)).status).toBe(400);
    expect((await signIn('late@example.com', oldPassword)).ok).toBe(true);
    const audit = await adminAudit.list(auth.db, { targetId: user.id });
    expect(audit.map((a) => a.action)).toEqual(['account.password.reset_request']);
  });

  it('refuses wrong and malformed tokens with the same clear page', async () => {
    await auth.createUser({ email: 'wrong@example.com', password: oldPassword });
    await requestReset('wrong@example.com');
    const token = await linkFor('wrong@example.com');
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [altered, '', 'x', `${token}x`, '%00', 'a'.repeat(5000)]) {
      const res = await page(`/password-reset/new?token=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.page).toContain('This link does not work any more');
      expect((await setPassword(bad, newPassword)).status).toBe(400);
    }
    expect((await signIn('wrong@example.com', oldPassword)).ok).toBe(true);
  });

  it('keeps the link usable after a weak or mismatched password, with a clear message', async () => {
    await auth.createUser({ email: 'weak@example.com', password: oldPassword });
    await requestReset('weak@example.com');
    const token = await linkFor('weak@example.com');
    const weak = await setPassword(token, 'short');
    expect(weak.status).toBe(400);
    expect(weak.page).toContain('Use at least');
    const mismatch = await setPassword(token, newPassword, `${newPassword}!`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.page).toContain('The two passwords are not the same');
    expect((await signIn('weak@example.com', oldPassword)).ok).toBe(true);
    expect((await setPassword(token, newPassword)).status).toBe(200);
    expect((await signIn('weak@example.com', newPassword)).ok).toBe(true);
  });

  it('a new link does not revive older ones: using one uses every open link of the account', async () => {
    await auth.createUser({ email: 'two-links@example.com', password: oldPassword });
    await requestReset('two-links@example.com');
    const first = await linkFor('two-links@example.com');
    await requestReset('two-links@example.com');
    const second = await linkFor('two-links@example.com');
    expect(second).not.toBe(first);
    expect((await setPassword(second, newPassword)).status).toBe(200);
    expect((await setPassword(first, 'another horse x')).status).toBe(400);
  });

  it('uses a link once even when it is sent twice at the same time', async () => {
    await auth.createUser({ email: 'race@example.com', password: oldPassword });
    await requestReset('race@example.com');
    const token = await linkFor('race@example.com');
    const results = await Promise.all([
      setPassword(token, 'race winner one'),
      setPassword(token, 'race winner two'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const winner = results[0]!.status === 200 ? 'race winner one' : 'race winner two';
    expect((await signIn('race@example.com', winner)).ok).toBe(true);
  });

  it('limits requests per email (any spelling), whether or not the account exists', async () => {
    for (const email of ['limit@example.com', 'ghost@example.com']) {
      for (let i = 0; i < 3; i++) expect((await requestReset(email)).status).toBe(200);
      const limited = await requestReset(email.toUpperCase());
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('never answers a 5xx to any request or link form body', async () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(''));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/password-reset', '/password-reset/new'),
        fc.dictionary(fc.constantFrom('email', 'token', 'password', 'confirm', 'x'), text),
        async (path, fields) => {
          const res = await form(path, fields);
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (raw) => {
        const res = await form('/password-reset', raw);
        expect(res.status).toBeLessThan(500);
        const link = await page(`/password-reset/new?token=${encodeURIComponent(raw)}`);
        expect(link.status).toBe(400);
      }),
      { numRuns: 40 },
    );
  });
});

describe('password reset request limit per address', () => {
  it('refuses the address after its allowance, across different emails', async () => {
    const auth = await startAuthService({
      resetLimits: { perEmail: 100, perIp: 4, linkUsesPerIp: 100, windowSeconds: 900 },
    });
    try {
      const ask = (email: string) =>
        fetch(`${auth.url}/password-reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email }).toString(),
        }).then((res) => res.status);
      for (let i = 0; i < 4; i++) expect(await ask(`ip-${i}@example.com`)).toBe(200);
      expect(await ask('ip-last@example.com')).toBe(429);
    } finally {
      await auth.close();
    }
  });
});

describe('password reset link pages limit per address', () => {
  it('refuses the link page, shown or submitted, after its allowance, with Retry-After', async () => {
    const auth = await startAuthService({
      resetLimits: { perEmail: 100, perIp: 100, linkUsesPerIp: 3, windowSeconds: 900 },
    });
    try {
      const guess = (i: number) => `guess-${i}-${'x'.repeat(40)}`;
      const show = (i: number) => fetch(`${auth.url}/password-reset/new?token=${guess(i)}`);
      const submit = (i: number) =>
        fetch(`${auth.url}/password-reset/new`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: guess(i), password: 'a new horse', confirm: 'a new horse' }),
        });
      // Three guesses get the invalid-link page; the fourth, whichever the method, is refused unread.
      expect((await show(1)).status).toBe(400);
      expect((await submit(2)).status).toBe(400);
      expect((await show(3)).status).toBe(400);
      for (const refused of [await submit(4), await show(5)]) {
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    } finally {
      await auth.close();
    }
  });
});
