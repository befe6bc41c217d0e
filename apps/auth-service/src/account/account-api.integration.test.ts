import { revocationKeys } from '@bff-auth/revocation';
import { createRedis } from '@bff-auth/service-kit/redis';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../internal/audit-trail';
import { CookieJar, startAuthService, type TestAuthService } from '../testing';

describe('self-service account API (user-api → auth-service)', () => {
  let auth: TestAuthService;
  let token: string;
  const password = 'correct horse';

  beforeAll(async () => {
    // Many sign-ins from one address: the per-IP sign-in limit is not what these tests are about.
    auth = await startAuthService({
      loginLimits: { failuresPerAccountAndIp: 5, attemptsPerIp: 1000, windowSeconds: 60 },
    });
    token = await auth.userApiToken();
  });
  afterAll(() => auth.close());

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const bearer = init.token === undefined ? token : init.token;
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(`${auth.accountUrl}${path}`, { ...init, headers });
  };
  interface Envelope {
    data?: unknown;
    error: { code: string; details: Record<string, string[]> };
  }
  interface Session {
    sid: string;
    clientSids: Record<string, string>;
    userAgent: string;
    createdAt: string;
    lastSeenAt: string;
  }
  const json = async (response: Response) => (await response.json()) as Envelope;
  const sessionsOf = async (userId: string) =>
    (await json(await call(`/users/${userId}/sessions`))).data as Session[];

  /** A user signed in from two browsers (two provider sessions). */
  async function twoSessions(email: string) {
    const user = await auth.createUser({ email, password });
    const first = await auth.signIn(email, password, { jar: new CookieJar() });
    const second = await auth.signIn(email, password, { jar: new CookieJar() });
    return {
      user,
      first,
      second,
      firstSid: decodeJwt(first.access_token).sid as string,
      secondSid: decodeJwt(second.access_token).sid as string,
    };
  }
  const refresh = (refreshToken: string) =>
    auth.tokenRequest('user-web', { grant_type: 'refresh_token', refresh_token: refreshToken });

  it('issues user-api a client-credentials token for the account audience only', async () => {
    expect(decodeJwt(token)).toMatchObject({
      aud: 'auth-account',
      client_id: 'user-api',
      scope: 'account:manage',
    });
    const adminToken = await auth.adminApiToken();
    expect((await call('/users/x/sessions', { token: adminToken })).status).toBe(401);
    expect((await call('/users/x/sessions', { token: null })).status).toBe(401);
    const { body } = await auth.tokenRequest('user-api', {
      grant_type: 'client_credentials',
      scope: 'users:manage',
      resource: auth.internalResource,
    });
    expect(body.error).toBe('invalid_target');
  });

  it("lists the user's sessions with the browser, start and last use", async () => {
    const { user, firstSid, secondSid } = await twoSessions('list@example.com');
    const response = await call(`/users/${user.id}/sessions`);
    expect(response.status).toBe(200);
    const sessions = (await json(response)).data as Session[];
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.clientSids['user-web']).sort()).toEqual([firstSid, secondSid].sort());
    for (const session of sessions) {
      expect(session.userAgent).not.toBe('');
      expect(Date.parse(session.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(session.createdAt));
    }
  });

  it('a token refresh moves the session’s last use forward', async () => {
    const { user, first, firstSid } = await twoSessions('seen@example.com');
    const mine = async () =>
      (await sessionsOf(user.id)).find((s) => s.clientSids['user-web'] === firstSid)!.lastSeenAt;
    const before = await mine();
    expect((await refresh(first.refresh_token!)).status).toBe(200);
    // Recorded from the provider's event, after the answer: wait for it rather than for a time.
    await expect.poll(mine).not.toBe(before);
    expect(Date.parse(await mine())).toBeGreaterThan(Date.parse(before));
  });

  it('ends one session: its sid revoked, its refresh dead, the other untouched, the push names its sid', async () => {
    const { user, first, second, secondSid } = await twoSessions('one@example.com');
    const sessions = await sessionsOf(user.id);
    const target = sessions.find((s) => s.clientSids['user-web'] === secondSid)!;

    const subscriber = createRedis({ url: auth.redis.url, failFast: false });
    await subscriber.subscribe(auth.service.revocation.channel);
    const message = new Promise<string>((resolve) => subscriber.on('message', (_c, m) => resolve(m)));
    const ended = await call(`/users/${user.id}/sessions/${target.sid}`, { method: 'DELETE' });
    expect(ended.status).toBe(200);
    expect(JSON.parse(await message)).toMatchObject({
      type: 'session-revoked',
      userId: user.id,
      sid: secondSid,
    });
    subscriber.disconnect();

    expect(await auth.redis.redis.get(revocationKeys.session(user.id, secondSid))).toBe('1');
    expect((await refresh(second.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token!)).status).toBe(200);
    expect((await json(await call(`/users/${user.id}/sessions`))).data).toHaveLength(1);
    const audit = await adminAudit.list(auth.db, { targetId: user.id });
    expect(audit.map((a) => a.action)).toContain('account.sessions.end');
  });

  it("answers 404 for another user's session, an unknown one and an unknown user", async () => {
    const mine = await twoSessions('mine@example.com');
    const theirs = await twoSessions('theirs@example.com');
    const [their] = (await json(await call(`/users/${theirs.user.id}/sessions`))).data as Array<{
      sid: string;
    }>;
    const cross = await call(`/users/${mine.user.id}/sessions/${their!.sid}`, { method: 'DELETE' });
    expect(cross.status).toBe(404);
    expect((await json(cross)).error.code).toBe('session_not_found');
    expect((await json(await call(`/users/${theirs.user.id}/sessions`))).data).toHaveLength(2);
    expect((await call(`/users/${mine.user.id}/sessions/nope`, { method: 'DELETE' })).status).toBe(404);
    expect((await call('/users/00000000-0000-4000-8000-000000000000/sessions')).status).toBe(404);
  });

  it('ends every other session and keeps the caller’s', async () => {
    const { user, first, second, firstSid } = await twoSessions('others@example.com');
    const response = await call(`/users/${user.id}/sessions/end-others`, {
      method: 'POST',
      body: JSON.stringify({ currentSid: firstSid }),
    });
    expect((await json(response)).data).toEqual({ endedSessions: 1 });
    expect((await refresh(second.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token!)).status).toBe(200);
  });

  describe('password change', () => {
    const change = (userId: string, body: unknown) =>
      call(`/users/${userId}/password`, { method: 'POST', body: JSON.stringify(body) });

    it('refuses a wrong current password and changes nothing', async () => {
      const { user, firstSid, second } = await twoSessions('wrong@example.com');
      const response = await change(user.id, {
        currentSid: firstSid,
        currentPassword: 'not the password',
        newPassword: 'a brand new passphrase',
      });
      expect(response.status).toBe(422);
      expect((await json(response)).error.code).toBe('current_password_incorrect');
      await auth.signIn('wrong@example.com', password);
      expect((await refresh(second.refresh_token!)).status).toBe(200);
      const audit = await adminAudit.list(auth.db, { targetId: user.id });
      expect(audit.map((a) => [a.action, a.outcome])).toEqual([['account.password.change', 'refused']]);
    });

    it('refuses a weak new password with the shared rule’s message', async () => {
      const { user, firstSid } = await twoSessions('weak@example.com');
      for (const [newPassword, message] of [
        ['short', 'Use at least 8 characters'],
        ['password123', 'This is one of the most used passwords; choose another'],
        ['weak@example.com', 'Do not use your email address as your password'],
        [password, 'Choose a password different from the current one'],
      ]) {
        const response = await change(user.id, {
          currentSid: firstSid,
          currentPassword: password,
          newPassword,
        });
        expect(response.status).toBe(422);
        const body = await json(response);
        expect(body.error.code).toBe('weak_password');
        expect(body.error.details.newPassword).toContain(message);
      }
      await auth.signIn('weak@example.com', password);
    });

    it('changes the password, ends the other sessions and keeps the caller’s', async () => {
      const { user, first, second, firstSid } = await twoSessions('change@example.com');
      const response = await change(user.id, {
        currentSid: firstSid,
        currentPassword: password,
        newPassword: 'a brand new passphrase',
      });
      expect(response.status).toBe(200);
      expect((await json(response)).data).toEqual({ endedSessions: 1 });
      expect((await refresh(second.refresh_token!)).body.error).toBe('invalid_grant');
      expect((await refresh(first.refresh_token!)).status).toBe(200);
      await expect(auth.signIn('change@example.com', password)).rejects.toThrow(/sign-in failed/);
      await auth.signIn('change@example.com', 'a brand new passphrase');
      const audit = await adminAudit.list(auth.db, { targetId: user.id });
      expect(audit.map((a) => [a.action, a.outcome])).toEqual([['account.password.change', 'success']]);
    });

    it('limits wrong current passwords per user', async () => {
      const { user, firstSid } = await twoSessions('limited@example.com');
      const attempt = (currentPassword: string) =>
        change(user.id, { currentSid: firstSid, currentPassword, newPassword: 'a brand new passphrase' });
      for (let i = 0; i < 5; i++) expect((await attempt(`guess-${i}`)).status).toBe(422);
      const blocked = await attempt(password);
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect((await json(blocked)).error.code).toBe('too_many_attempts');
    });
  });

  it('answers any body, method and path with success or a clean 4xx', async () => {
    const { user, firstSid } = await twoSessions('fuzz@example.com');
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.constant(firstSid));
    const body = fc.oneof(
      fc.string(),
      fc.dictionary(fc.constantFrom('currentSid', 'currentPassword', 'newPassword', 'extra'), value),
    );
    const path = fc.constantFrom(
      `/users/${user.id}/password`,
      `/users/${user.id}/sessions/end-others`,
      `/users/${user.id}/sessions/%2e%2e`,
      `/users/${user.id}/sessions`,
      '/users/%00/sessions',
      `/users/${user.id}`,
    );
    let expected = 2;
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), body, async (p, method, b) => {
        const response = await call(p, {
          method,
          ...(method === 'GET' ? {} : { body: typeof b === 'string' ? b : JSON.stringify(b) }),
        });
        await response.arrayBuffer();
        expect(response.status, `${method} ${p} ${JSON.stringify(b)}`).toBeLessThan(500);
        // Only a successful "end the others" may end a session; a refused request changes nothing.
        if (response.ok && p.endsWith('/end-others')) expected = 1;
        if (response.status >= 400) expect(await sessionsOf(user.id)).toHaveLength(expected);
      }),
      { numRuns: 60 },
    );
    // Nothing the fuzz sent knew the password: it is unchanged.
    await auth.signIn('fuzz@example.com', password);
  });
});
