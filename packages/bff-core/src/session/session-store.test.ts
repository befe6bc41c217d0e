import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signJwt, testKeys, twentyRoles } from '../testing/tokens';
import { SESSION_COOKIE_NAMES } from './session-cookie';
import type { SessionData } from './session-data';
import { createSessionStore } from './session-store';

const P1 = 'password-one-password-one-password-one';
const P2 = 'password-two-password-two-password-two';

function requestWith(setCookie: string): Request {
  const pair = setCookie.split(';')[0]!;
  return new Request('http://localhost/', { headers: { cookie: `other=1; ${pair}` } });
}

async function realisticSession(): Promise<SessionData> {
  const { privateKey } = await testKeys();
  const roles = twentyRoles();
  const base = { iss: 'http://localhost:8002', sub: randomUUID(), sid: randomUUID() };
  const at = await signJwt(
    privateKey,
    {
      ...base,
      aud: 'user-api',
      client_id: 'user-web',
      scope: 'openid email profile offline_access',
      roles,
      jti: randomUUID(),
    },
    { typ: 'at+jwt' },
  );
  const idt = await signJwt(privateKey, {
    ...base,
    aud: 'user-web',
    email: 'someone.with.a.long.name@example.com',
    name: 'Someone With A Rather Long Display Name',
    roles,
    nonce: randomUUID(),
    at_hash: 'x'.repeat(22),
    auth_time: 1_700_000_000,
    azp: 'user-web',
  });
  return {
    v: 1,
    uid: base.sub,
    sid: base.sid,
    cat: Math.floor(Date.now() / 1000),
    at,
    ate: Math.floor(Date.now() / 1000) + 300,
    rt: 'r'.repeat(86),
    idt,
  };
}

const store = (passwords: Record<string, string> = { 1: P1 }, now?: () => number) =>
  createSessionStore({
    cookieName: SESSION_COOKIE_NAMES.user,
    sameSite: 'Lax',
    passwords,
    ttlSeconds: 3600,
    ...(now ? { now } : {}),
  });

describe('session store', () => {
  it('seals a session with 20 roles and all three tokens under 4096 bytes', async () => {
    const data = await realisticSession();
    const setCookie = await store().seal(data);
    const pair = setCookie.split(';')[0]!;
    console.info(`sealed session cookie (name=value) with 20 roles: ${pair.length} bytes`);
    expect(pair.length).toBeLessThan(4096);
  });

  it('sets HttpOnly, Secure, Path=/, SameSite and no Domain', async () => {
    const setCookie = await store().seal(await realisticSession());
    expect(setCookie).toMatch(/^__Host-user-session=/);
    expect(setCookie).toContain('; HttpOnly');
    expect(setCookie).toContain('; Secure');
    expect(setCookie).toContain('; Path=/');
    expect(setCookie).toContain('; SameSite=Lax');
    expect(setCookie.toLowerCase()).not.toContain('domain=');
  });

  it('round-trips the data and derives the user from the tokens', async () => {
    const data = await realisticSession();
    const s = store();
    const session = await s.read(requestWith(await s.seal(data)));
    expect(session?.data).toEqual(data);
    expect(session?.user).toEqual({
      id: data.uid,
      email: 'someone.with.a.long.name@example.com',
      name: 'Someone With A Rather Long Display Name',
      roles: twentyRoles(),
    });
  });

  it('never holds a readable token in the cookie value', async () => {
    const data = await realisticSession();
    const setCookie = await store().seal(data);
    expect(setCookie).not.toContain(data.at.split('.')[1]!);
    expect(setCookie).not.toContain(data.rt!);
    expect(setCookie).not.toContain('eyJ');
  });

  it('treats a tampered cookie as anonymous without throwing', async () => {
    const s = store();
    const setCookie = await s.seal(await realisticSession());
    const pair = setCookie.split(';')[0]!;
    const i = pair.length - 20;
    const tampered = pair.slice(0, i) + (pair[i] === 'A' ? 'B' : 'A') + pair.slice(i + 1);
    await expect(s.read(requestWith(tampered))).resolves.toBeNull();
    await expect(s.read(requestWith('__Host-user-session=garbage'))).resolves.toBeNull();
    await expect(s.read(new Request('http://localhost/'))).resolves.toBeNull();
  });

  it('treats an expired seal as anonymous, also when it is already in the unseal cache', async () => {
    let clock = 0;
    const s = store({ 1: P1 }, () => clock || Date.now());
    const cookie = await s.seal(await realisticSession());
    // The clock starts after sealing: building the session (RSA signing) can take over a second on a
    // loaded machine, and the seal's expiry counts from the moment it was sealed.
    clock = Date.now();
    expect(await s.read(requestWith(cookie))).not.toBeNull();
    clock += 3601 * 1000;
    expect(await s.read(requestWith(cookie))).toBeNull();
  });

  it('unseals cookies sealed with an older password and seals with the highest id', async () => {
    const data = await realisticSession();
    const old = await store({ 1: P1 }).seal(data);
    const rotated = store({ 1: P1, 2: P2 });
    expect((await rotated.read(requestWith(old)))?.data).toEqual(data);
    const fresh = await rotated.seal(data);
    expect(fresh).toContain('Fe26.2*2*');
    expect(await store({ 1: P1 }).read(requestWith(fresh))).toBeNull();
  });

  it('caches unsealed sessions keyed by the sealed value, within its bound', async () => {
    const s = createSessionStore({
      cookieName: SESSION_COOKIE_NAMES.user,
      sameSite: 'Lax',
      passwords: { 1: P1 },
      ttlSeconds: 3600,
      cacheSize: 2,
    });
    const data = await realisticSession();
    const cookies = await Promise.all([s.seal(data), s.seal(data), s.seal(data)]);
    for (const c of cookies) await s.read(requestWith(c));
    expect(s.cache.size).toBe(2);
    const first = await s.read(requestWith(cookies[2]!));
    expect(await s.read(requestWith(cookies[2]!))).toBe(first);
  });

  it('refuses short passwords and cookie names without the __Host- prefix, naming the option', () => {
    expect(() => store({ 1: 'short' })).toThrow(/@bff-auth\/bff-core: session\.passwords\[1\]/);
    expect(() =>
      createSessionStore({ cookieName: 'session', sameSite: 'Lax', passwords: { 1: P1 }, ttlSeconds: 3600 }),
    ).toThrow(/session\.cookieName/);
  });

  it('clears the cookie with the same attributes', () => {
    expect(store().clear()).toMatch(
      /^__Host-user-session=; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=0/,
    );
  });
});
