import fc from 'fast-check';
import { unsealData } from 'iron-session';
import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_BYTES } from '../session/session-cookie';
import { CookieJar } from '../testing/cookie-jar';
import {
  createTransactionStore,
  MAX_RETURN_TO_BYTES,
  MAX_TRANSACTIONS,
  TRANSACTION_BUDGET_BYTES,
  TRANSACTION_GRACE_SECONDS,
  TRANSACTION_TTL_SECONDS,
  type Transaction,
} from './transaction';

// Real iron seals throughout; only the clock is ours, so expiry needs no waiting.
const PASSWORDS = { 1: 'transaction-test-password-transaction-test' };
const PREFIX = '__Host-user-session-tx.';
const LOGIN_URL = 'http://localhost:3002/api/auth/login';

function setup(start = Date.parse('2026-01-01T10:00:00Z')) {
  const clock = { now: start };
  const store = createTransactionStore({
    sessionCookieName: '__Host-user-session',
    passwords: PASSWORDS,
    now: () => clock.now,
  });
  const jar = new CookieJar();
  const req = (extra: Record<string, string> = {}) => jar.request(LOGIN_URL, {}, extra);
  const login = async (returnTo = '/profile') => {
    const tx = store.create(returnTo);
    jar.apply(await store.begin(req(), tx));
    clock.now += 1000;
    return tx;
  };
  return { clock, store, jar, login, req };
}

describe('transaction cookies: one per state', () => {
  it('are sealed, Lax, named by state and hold no readable returnTo', async () => {
    const { store, req } = setup();
    const tx = store.create('/profile?tab=secret-place');
    const [cookie, ...rest] = await store.begin(req(), tx);
    expect(rest).toEqual([]);
    expect(cookie).toMatch(new RegExp(`^${PREFIX.replace('.', '\\.')}${tx.state}=Fe26\\.2\\*`));
    expect(cookie).toMatch(
      new RegExp(
        `; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${TRANSACTION_TTL_SECONDS + TRANSACTION_GRACE_SECONDS}$`,
      ),
    );
    expect(cookie).not.toContain('secret-place');
  });

  it('keep several sign-ins usable at once: each tab finds its own', async () => {
    const { store, login, req } = setup();
    const tabs = [await login('/a'), await login('/b'), await login('/c')];
    for (const tab of tabs) {
      const found = await store.find(req(), tab.state);
      expect(found).toEqual({ status: 'pending', transaction: tab });
    }
  });

  it('are usable once: marked used, the cookie holds no verifier and finds as used with its returnTo', async () => {
    const { store, jar, login, req } = setup();
    const tx = await login('/users?q=1');
    const used = await store.markUsed(tx);
    expect(used).toMatch(new RegExp(`Max-Age=${TRANSACTION_GRACE_SECONDS}$`));
    jar.apply([used]);
    expect(await store.find(req(), tx.state)).toEqual({ status: 'used', returnTo: '/users?q=1' });
    const sealed = jar.cookies.get(PREFIX + tx.state)!;
    const raw = await unsealData<Record<string, unknown>>(sealed, { password: PASSWORDS });
    expect(raw).not.toHaveProperty('codeVerifier');
    expect(raw).not.toHaveProperty('nonce');
  });

  it('expire after the TTL (still explained, with the returnTo), not before', async () => {
    const { store, login, clock, req } = setup();
    const tx = await login('/profile');
    clock.now = tx.createdAt + TRANSACTION_TTL_SECONDS * 1000;
    expect((await store.find(req(), tx.state)).status).toBe('pending');
    clock.now += 1;
    expect(await store.find(req(), tx.state)).toEqual({ status: 'expired', returnTo: '/profile' });
  });

  it('refuse tampering: altered seal, a cookie moved to another state, a foreign password, odd states', async () => {
    const { store, jar, login, req } = setup();
    const a = await login('/a');
    const b = await login('/b');
    const sealedA = jar.cookies.get(PREFIX + a.state)!;
    const flipped = sealedA.slice(0, 60) + (sealedA[60] === 'A' ? 'B' : 'A') + sealedA.slice(61);
    expect(await store.find(req({ [PREFIX + a.state]: flipped }), a.state)).toEqual({
      status: 'missing',
    });
    // A's seal under B's name: the state inside must match the name it came in.
    expect(await store.find(req({ [PREFIX + b.state]: sealedA }), b.state)).toEqual({
      status: 'missing',
    });
    const foreign = createTransactionStore({
      sessionCookieName: '__Host-user-session',
      passwords: { 1: 'another-password-another-password-another' },
    });
    expect(await foreign.find(req(), a.state)).toEqual({ status: 'missing' });
    for (const state of [null, '', 'x', 'a;b=c', `${a.state}\r\n`, 'a'.repeat(129)]) {
      expect(await store.find(req(), state)).toEqual({ status: 'missing' });
    }
    expect(store.clear('a;b=c')).toBeNull();
    // A new login drops the unreadable ones.
    const c = store.create('/c');
    const setCookie = await store.begin(req({ [`${PREFIX}${'Z'.repeat(43)}`]: 'Fe26.2*junk' }), c);
    expect(setCookie).toContainEqual(
      expect.stringMatching(new RegExp(`^${PREFIX.replace('.', '\\.')}Z{43}=; .*Max-Age=0`)),
    );
  });

  it('clamps a returnTo too long for a cookie to / (issue #8: the browser dropped the cookie silently)', async () => {
    const { store, req } = setup();
    const long = `/${'é'.repeat(2000)}`;
    const tx = store.create(long);
    expect(tx.returnTo).toBe('/');
    const [cookie] = await store.begin(req(), tx);
    expect(cookie!.split(';')[0]!.length).toBeLessThan(MAX_COOKIE_BYTES);
    const fits = `/${'a'.repeat(MAX_RETURN_TO_BYTES - 3)}`;
    expect(store.create(fits).returnTo).toBe(fits);
    expect(store.create(`${fits}a`).returnTo).toBe('/');
  });

  it('deletes the single transaction cookie of earlier versions', async () => {
    const { store, req } = setup();
    const setCookie = await store.begin(req({ '__Host-user-session-tx': 'Fe26.2*old' }), store.create('/'));
    expect(setCookie).toContainEqual(expect.stringMatching(/^__Host-user-session-tx=; .*Max-Age=0/));
  });
});

describe('transaction cookies: bounds', () => {
  it(`keep at most ${MAX_TRANSACTIONS}, dropping the oldest first`, async () => {
    const { store, jar, login, req } = setup();
    const all: Transaction[] = [];
    for (let i = 0; i < MAX_TRANSACTIONS + 2; i++) all.push(await login(`/tab-${i}`));
    expect(jar.names(PREFIX)).toHaveLength(MAX_TRANSACTIONS);
    for (const [i, tx] of all.entries()) {
      const expected = i < 2 ? 'missing' : 'pending';
      expect((await store.find(req(), tx.state)).status).toBe(expected);
    }
  });

  it('drop used and expired ones before fresh ones, even when newer', async () => {
    const { store, jar, login, clock, req } = setup();
    const old = await login('/old');
    clock.now += 60_000;
    const done: Transaction[] = [];
    for (let i = 0; i < MAX_TRANSACTIONS - 1; i++) {
      const tx = await login(`/done-${i}`);
      jar.apply([await store.markUsed(tx)]);
      done.push(tx);
    }
    const fresh = await login('/fresh');
    expect((await store.find(req(), old.state)).status).toBe('pending');
    expect((await store.find(req(), fresh.state)).status).toBe('pending');
    expect((await store.find(req(), done[0]!.state)).status).toBe('missing');
    expect((await store.find(req(), done.at(-1)!.state)).status).toBe('used');
  });

  it('drop a used sign-in before an older fresh one', async () => {
    const { store, jar, login, req } = setup();
    const [first, second, third] = [await login('/1'), await login('/2'), await login('/3')];
    jar.apply([await store.markUsed(third!)]);
    for (let i = 0; i < MAX_TRANSACTIONS - 1; i++) await login(`/later-${i}`);
    expect((await store.find(req(), third!.state)).status).toBe('missing');
    expect((await store.find(req(), second!.state)).status).toBe('pending');
    expect((await store.find(req(), first!.state)).status).not.toBe('used');
  });

  it('hold the count and byte budget for any mix of returnTo lengths, logins and callbacks', async () => {
    const returnTo = fc.oneof(
      fc.constantFrom('/', '/profile', '/users?q=a%22b'),
      fc.string({ unit: 'grapheme', maxLength: 1500 }).map((s) => `/${s.replace(/[\\/]/g, 'x')}`),
    );
    const step = fc.oneof(
      returnTo.map((r) => ({ kind: 'login' as const, returnTo: r })),
      fc.nat({ max: 20 }).map((back) => ({ kind: 'callback' as const, back })),
      fc.integer({ min: 1, max: 1200 }).map((seconds) => ({ kind: 'wait' as const, seconds })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { store, jar, login, clock, req } = setup();
        const started: Transaction[] = [];
        const used = new Set<string>();
        for (const s of steps) {
          if (s.kind === 'wait') clock.now += s.seconds * 1000;
          else if (s.kind === 'callback') {
            const tx = started[started.length - 1 - (s.back % Math.max(1, started.length))];
            const found = tx && (await store.find(req(), tx.state));
            if (found?.status === 'pending') {
              jar.apply([await store.markUsed(found.transaction)]);
              used.add(found.transaction.state);
            }
          } else {
            const tx = await login(s.returnTo);
            started.push(tx);
            // The sign-in just started always survives, whole, in the jar.
            expect(await store.find(req(), tx.state)).toEqual({ status: 'pending', transaction: tx });
            expect(jar.names(PREFIX).length).toBeLessThanOrEqual(MAX_TRANSACTIONS);
            expect(jar.bytes(PREFIX)).toBeLessThanOrEqual(TRANSACTION_BUDGET_BYTES);
            // Oldest dropped first: every fresh sign-in still in the jar is newer than every one dropped.
            // (Used ones go before any fresh one, whatever their age: they are not in this comparison.)
            const fresh = started.filter(
              (t) => !used.has(t.state) && clock.now - t.createdAt <= TRANSACTION_TTL_SECONDS * 1000,
            );
            const statuses = await Promise.all(fresh.map((t) => store.find(req(), t.state)));
            const kept = fresh.filter((_, i) => statuses[i]!.status === 'pending').map((t) => t.createdAt);
            const dropped = fresh.filter((_, i) => statuses[i]!.status === 'missing').map((t) => t.createdAt);
            if (kept.length && dropped.length) expect(Math.max(...dropped)).toBeLessThan(Math.min(...kept));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
