import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';
import { openSignInForm } from './sign-in-form.test-helper';

const password = 'correct horse';
let auth: TestAuthService;
beforeAll(async () => {
  // The per-IP limit (every test request comes from 127.0.0.1) is raised out of the way of this file's
  // many attempts; the per-account limit keeps its real value.
  auth = await startAuthService({
    loginLimits: { failuresPerAccountAndIp: 5, attemptsPerIp: 10_000, windowSeconds: 60 },
  });
});
afterAll(() => auth.close());

describe('per-account sign-in limit', () => {
  it('checks at most 5 passwords out of 15 parallel wrong guesses (real Redis)', async () => {
    await auth.createUser({ email: 'parallel@example.com', password });
    const form = await openSignInForm(auth.url);
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) => form.attempt('parallel@example.com', `guess-${i}`)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    // And the right password is refused too until the window passes.
    expect((await form.attempt('parallel@example.com', password)).status).toBe(429);
  });

  it('is one limit for every spelling of the email that reaches the account', async () => {
    await auth.createUser({ email: 'carol@example.com', password });
    const form = await openSignInForm(auth.url);
    for (let i = 0; i < 5; i++) expect((await form.attempt('carol@example.com', `no-${i}`)).status).toBe(401);
    for (const spelling of ['CAROL@EXAMPLE.COM', ' Carol@example.com ', 'ｃａｒｏｌ@example.com']) {
      expect((await form.attempt(spelling, password)).status, spelling).toBe(429);
    }
  });

  it('treats U+0130 (İ) as another account, never as a fresh limit on the same one', async () => {
    await auth.createUser({ email: 'iris@example.com', password });
    const form = await openSignInForm(auth.url);
    for (let i = 0; i < 5; i++) expect((await form.attempt('iris@example.com', `no-${i}`)).status).toBe(401);
    // PostgreSQL's lower() folds İ to i; were the lookup to use it, this spelling would be the same
    // account under a limit of its own, and the right password would sign in.
    const dotted = await form.attempt('İris@example.com', password);
    expect(dotted.status).toBe(401);
    expect(dotted.page).toContain('Incorrect email or password.');
  });
});

describe('hostile sign-in input', () => {
  it.each([
    ['NUL', 'email=a%00b%40example.com&password=x'],
    ['a control character', 'email=a%07%40example.com&password=x'],
    ['an RTL override', `email=${encodeURIComponent('moc.elpmaxe@\u202Eevil')}&password=x`],
    ['a zero-width joiner', `email=${encodeURIComponent('ad\u200Dmin@example.com')}&password=x`],
    ['an encoded lone surrogate', 'email=%ED%A0%80%40example.com&password=x'],
    ['broken percent-encoding', 'email=%E0%A4%A&password=x'],
    ['100 KB of email', `email=${'a'.repeat(100_000)}%40example.com&password=x`],
    ['100 KB of password', `email=x%40example.com&password=${'p'.repeat(100_000)}`],
    ['NUL in the password', 'email=x%40example.com&password=a%00b'],
    ['no fields at all', ''],
    ['repeated fields', 'email=a%40example.com&email=b%40example.com&password=x&password=y'],
  ])('answers %s with a 4xx sign-in page, never a 500', async (_name, body) => {
    const form = await openSignInForm(auth.url);
    const res = await form.post(body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.page).toContain('<form method="post"');
    expect(res.page).not.toContain('\u0000');
    expect(res.page).not.toContain('\u202E');
  });
});

describe('disabled account', () => {
  it('answers exactly as for a wrong password, so the page never confirms the password', async () => {
    const user = await auth.createUser({ email: 'off@example.com', password });
    await auth.service.users.setDisabled(user.id, true);
    const form = await openSignInForm(auth.url);
    const right = await form.attempt('off@example.com', password);
    const wrong = await form.attempt('off@example.com', 'not the password');
    expect(right.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(right.page).toBe(wrong.page);
    expect(right.page).toContain('Incorrect email or password.');
    expect(right.page).not.toMatch(/disabled/i);
  });
});
