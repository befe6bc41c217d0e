import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApiHarness, startAdminApi } from './test-support';

describe('admin user management through the auth service', () => {
  let h: AdminApiHarness;
  beforeAll(async () => {
    h = await startAdminApi('users');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.upstream.failWith = undefined;
  });

  const call = async (method: string, path: string, body?: unknown, roles = ['admin'], sub = 'admin-1') =>
    h.app.request(`/api/v1/admin${path}`, {
      method,
      headers: {
        authorization: await h.bearer(sub, roles),
        'x-request-id': `req-${method}-${Math.random().toString(36).slice(2)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('lists, searches and paginates users', async () => {
    for (const name of ['alice', 'bob', 'carol']) h.upstream.addUser({ email: `${name}@list.test`, name });
    const page = await call('GET', '/users?q=list.test&page=2&pageSize=2');
    expect(page.status).toBe(200);
    const { data } = await page.json();
    expect(data).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(data.items).toHaveLength(1);
    const [entry] = await h.auditEntries({ action: 'users.list' });
    expect(entry).toMatchObject({
      actorId: 'admin-1',
      outcome: 'success',
      details: { q: 'list.test', page: 2 },
    });
  });

  it('answers 422 for a bad page size', async () => {
    const res = await call('GET', '/users?pageSize=1000&page=0');
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json()).error.details).sort()).toEqual(['page', 'pageSize']);
  });

  it('creates a user (201) without the password ever reaching the answer or the audit log', async () => {
    const res = await call('POST', '/users', {
      email: 'new@create.test',
      name: 'New Person',
      password: 'a-long-password',
      roles: ['user'],
    });
    expect(res.status).toBe(201);
    const { data } = await res.json();
    expect(data).toMatchObject({ email: 'new@create.test', roles: ['user'], disabled: false });
    expect(data).not.toHaveProperty('passwordHash');
    const [entry] = await h.auditEntries({ action: 'users.create' });
    expect(entry).toMatchObject({ targetId: data.id, outcome: 'success', status: 201 });
    expect(JSON.stringify(entry)).not.toContain('a-long-password');
    expect(h.logs.join('')).not.toContain('a-long-password');
  });

  it("passes the auth service's 409 email_taken and 422 through, audited as rejected", async () => {
    h.upstream.addUser({ email: 'taken@create.test' });
    const taken = await call('POST', '/users', {
      email: 'taken@create.test',
      name: 'X',
      password: 'long-enough-pw',
    });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe('email_taken');
    const weak = await call('POST', '/users', { email: 'weak@create.test', name: 'X', password: 'short-pw' });
    expect(weak.status).toBe(422);
    expect((await weak.json()).error.details).toEqual({ password: ['Too weak'] });
    const entries = await h.auditEntries({ action: 'users.create' });
    expect(entries.slice(0, 2).map((e) => [e.outcome, e.errorCode])).toEqual([
      ['rejected', 'validation_failed'],
      ['rejected', 'email_taken'],
    ]);
  });

  it('answers 422 with field errors for an invalid new user, before calling the auth service', async () => {
    const res = await call('POST', '/users', {
      email: 'nope',
      name: '',
      password: 'x',
      roles: ['Admin!'],
      extra: 1,
    });
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('validation_failed');
    expect(Object.keys(error.details).sort()).toEqual(['_', 'email', 'name', 'password', 'roles.0']);
    expect(error.details.email).toEqual(['Must be an email address']);
  });

  it('reads one user and answers 404 user_not_found for an unknown id', async () => {
    const user = h.upstream.addUser({ email: 'read@read.test' });
    expect((await (await call('GET', `/users/${user.id}`)).json()).data.email).toBe('read@read.test');
    const missing = await call('GET', '/users/no-such-user');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('user_not_found');
  });

  it('refuses ids that could escape the path before calling the auth service', async () => {
    const before = h.upstream.tokenRequests;
    // URL parsing already turns a dot segment into another path, which has no route.
    expect((await call('GET', '/users/%2e%2e/%2e%2e/audit')).status).toBe(404);
    for (const id of ['.hidden', 'a%2Fb', '..%2F..%2Fadmin', 'a%00b', 'x'.repeat(200)]) {
      const res = await call('GET', `/users/${id}`);
      expect(res.status, id).toBe(422);
      expect((await res.json()).error.details.id).toEqual(['Not a valid user id']);
    }
    expect(h.upstream.tokenRequests).toBe(before);
  });

  it('changes roles and records before and after', async () => {
    const user = h.upstream.addUser({ email: 'roles@patch.test', name: 'Roles', roles: ['user'] });
    const res = await call('PATCH', `/users/${user.id}`, { roles: ['user', 'admin'] });
    expect(res.status).toBe(200);
    expect((await res.json()).data.roles).toEqual(['user', 'admin']);
    const [entry] = await h.auditEntries({ action: 'users.update', target: user.id });
    expect(entry).toMatchObject({
      actorId: 'admin-1',
      outcome: 'success',
      before: { name: 'Roles', roles: ['user'] },
      after: { name: 'Roles', roles: ['user', 'admin'] },
      requestId: expect.stringMatching(/^req-PATCH-/),
    });
  });

  it('answers 422 for an empty change or unknown fields', async () => {
    const user = h.upstream.addUser({ email: 'empty@patch.test' });
    expect((await call('PATCH', `/users/${user.id}`, {})).status).toBe(422);
    expect((await call('PATCH', `/users/${user.id}`, { disabled: true })).status).toBe(422);
    expect((await call('PATCH', `/users/${user.id}`, { roles: 'admin' })).status).toBe(422);
  });

  it('disables and enables a user, recording the change', async () => {
    const user = h.upstream.addUser({ email: 'toggle@state.test' });
    const disabled = await call('POST', `/users/${user.id}/disable`);
    expect((await disabled.json()).data.disabled).toBe(true);
    const enabled = await call('POST', `/users/${user.id}/enable`);
    expect((await enabled.json()).data.disabled).toBe(false);
    const [enable] = await h.auditEntries({ action: 'users.enable', target: user.id });
    const [disable] = await h.auditEntries({ action: 'users.disable', target: user.id });
    expect(disable).toMatchObject({
      before: { disabled: false },
      after: { disabled: true },
      outcome: 'success',
    });
    expect(enable).toMatchObject({
      before: { disabled: true },
      after: { disabled: false },
      outcome: 'success',
    });
  });

  it('forces a logout and lists sessions', async () => {
    const user = h.upstream.addUser({ email: 'sessions@state.test' });
    h.upstream.sessions.set(user.id, [
      {
        sid: 's1',
        clients: ['user-web'],
        createdAt: '2024-01-01T00:00:00Z',
        expiresAt: '2024-01-08T00:00:00Z',
      },
      { sid: 's2', clients: ['admin-web', 'user-web'], createdAt: '2024-01-01T00:00:00Z', expiresAt: null },
    ]);
    const sessions = await call('GET', `/users/${user.id}/sessions`);
    expect((await sessions.json()).data.map((s: { sid: string }) => s.sid)).toEqual(['s1', 's2']);
    const logout = await call('POST', `/users/${user.id}/logout`);
    expect((await logout.json()).data).toEqual({ revokedSessions: 2 });
    const [entry] = await h.auditEntries({ action: 'users.logout', target: user.id });
    expect(entry).toMatchObject({ after: { revokedSessions: 2 }, outcome: 'success' });
  });

  it('sends a password reset through the auth service and audits it', async () => {
    const user = h.upstream.addUser({ email: 'reset@state.test' });
    const res = await call('POST', `/users/${user.id}/password-reset`);
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ sent: true });
    const [entry] = await h.auditEntries({ action: 'users.password_reset.send', target: user.id });
    expect(entry).toMatchObject({ after: { sent: true }, outcome: 'success' });
    expect((await call('GET', `/users/${user.id}/password-reset`)).status).toBe(405);
  });

  it('requires a password change at next sign-in through the auth service and audits it', async () => {
    const user = h.upstream.addUser({ email: 'must-change@state.test' });
    const res = await call('POST', `/users/${user.id}/require-password-change`);
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ passwordChangeRequired: true });
    const [entry] = await h.auditEntries({ action: 'users.password_change.require', target: user.id });
    expect(entry).toMatchObject({ after: { passwordChangeRequired: true }, outcome: 'success' });
  });

  it('answers 403 to a non-admin on every route and audits each refusal', async () => {
    const user = h.upstream.addUser({ email: 'victim@forbidden.test', roles: ['user'] });
    const attempts: [string, string, unknown?][] = [
      ['GET', '/users'],
      ['POST', '/users', { email: 'x@forbidden.test', name: 'X', password: 'long-enough-pw' }],
      ['GET', `/users/${user.id}`],
      ['PATCH', `/users/${user.id}`, { roles: ['admin'] }],
      ['POST', `/users/${user.id}/disable`],
      ['POST', `/users/${user.id}/enable`],
      ['POST', `/users/${user.id}/logout`],
      ['POST', `/users/${user.id}/password-reset`],
      ['POST', `/users/${user.id}/require-password-change`],
      ['GET', `/users/${user.id}/sessions`],
      ['GET', '/audit'],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, body, ['user'], 'mallory');
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
    expect(h.upstream.users.get(user.id)?.roles).toEqual(['user']);
    const entries = await h.auditEntries({ actor: 'mallory' });
    expect(entries).toHaveLength(attempts.length);
    expect(
      entries.every((e) => e.outcome === 'denied' && e.status === 403 && e.errorCode === 'forbidden'),
    ).toBe(true);
    expect(entries.map((e) => e.action).sort()).toEqual([
      'audit.list',
      'users.create',
      'users.disable',
      'users.enable',
      'users.list',
      'users.logout',
      'users.password_change.require',
      'users.password_reset.send',
      'users.read',
      'users.sessions',
      'users.update',
    ]);
  });

  it('ignores a spoofed X-User-ID: the actor is the token subject', async () => {
    const res = await h.app.request('/api/v1/admin/users', {
      headers: {
        authorization: await h.bearer('mallory-2', ['user']),
        'x-user-id': 'admin-1',
        'x-user-roles': 'admin',
      },
    });
    expect(res.status).toBe(403);
    const [entry] = await h.auditEntries({ actor: 'mallory-2' });
    expect(entry?.outcome).toBe('denied');
  });

  it('answers 503 when the auth service is down and audits the failure', async () => {
    h.upstream.failWith = 503;
    const user = h.upstream.addUser({ email: 'down@fail.test' });
    const res = await call('POST', `/users/${user.id}/disable`);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('auth_service_unavailable');
    const [entry] = await h.auditEntries({ action: 'users.disable', target: user.id });
    expect(entry).toMatchObject({ outcome: 'failed', status: 503, errorCode: 'auth_service_unavailable' });
  });

  it('answers 502 for an auth service error, without its details', async () => {
    h.upstream.failWith = 500;
    const res = await call('GET', '/users');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'auth_service_error' } });
  });

  it('exchanges the admin token again and retries once when the auth service refuses the cached one', async () => {
    const authorization = await h.bearer('admin-1');
    const list = () => h.app.request('/api/v1/admin/users', { headers: { authorization } });
    expect((await list()).status).toBe(200);
    const before = h.upstream.tokenRequests;
    h.upstream.revokeIssuedTokens();
    expect((await list()).status).toBe(200);
    expect(h.upstream.tokenRequests - before).toBe(1);
  });

  it('exchanges once when 20 concurrent requests with one admin token find its exchanged token refused', async () => {
    const authorization = await h.bearer('admin-1');
    const list = () => h.app.request('/api/v1/admin/users', { headers: { authorization } });
    await list(); // caches an exchanged token for this admin token
    h.upstream.revokeIssuedTokens();
    const before = h.upstream.tokenRequests;
    // Each of the 20 finds the cached token refused; they share one renewal.
    const all = await Promise.all(Array.from({ length: 20 }, list));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(h.upstream.tokenRequests - before).toBe(1);
  });

  it('answers 405 with Allow for unsupported methods', async () => {
    const res = await call('DELETE', '/users/some-id');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PATCH');
  });
});
