import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from './audit/audit-log';
import { type AdminApiHarness, startAdminApi } from './test-support';

describe('admin-api under hostile input and a failing audit log', () => {
  let h: AdminApiHarness;
  beforeAll(async () => {
    h = await startAdminApi('hostile');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    h.upstream.failWith = undefined;
  });

  const call = async (method: string, path: string, body?: unknown, sub = 'admin-1') =>
    h.app.request(`/api/v1/admin${path}`, {
      method,
      headers: {
        authorization: await h.bearer(sub),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('refuses a name with a lone surrogate (or NUL, or a direction override) with 422, changing nothing', async () => {
    const user = h.upstream.addUser({ email: 'surrogate@hostile.test', name: 'Plain', roles: ['user'] });
    const calls = h.upstream.actors.length;
    for (const name of ['\ud800', 'a\u0000b', '\u202Eevil', 'x\udc00y']) {
      const res = await call('PATCH', `/users/${user.id}`, { name, roles: ['user', 'admin'] });
      expect(res.status, JSON.stringify(name)).toBe(422);
      expect((await res.json()).error.details).toHaveProperty('name');
    }
    expect(h.upstream.users.get(user.id)).toMatchObject({ name: 'Plain', roles: ['user'] });
    expect(h.upstream.actors.length).toBe(calls); // the auth service was never asked
    const entries = await h.auditEntries({ action: 'users.update', target: user.id });
    expect(entries.map((e) => [e.outcome, e.status, e.errorCode])).toEqual(
      Array(4).fill(['rejected', 422, 'validation_failed']),
    );
  });

  it('answers 422, never 502 or 500, to NUL and control characters in a search or an audit filter', async () => {
    for (const q of ['%00', 'a%00b', '%1B%5B2J', '%0A']) {
      const res = await call('GET', `/users?q=${q}`);
      expect(res.status, q).toBe(422);
      expect((await res.json()).error.details).toHaveProperty('q');
    }
    for (const filter of ['actor=%00', 'target=a%00', 'action=%07', 'actor=%E2%80%AE']) {
      const res = await call('GET', `/audit?${filter}`);
      expect(res.status, filter).toBe(422);
    }
  });

  it("answers with the auth service's 4xx, never 502, so a client error never looks like an outage", async () => {
    const user = h.upstream.addUser({ email: 'fourxx@hostile.test' });
    for (const status of [400, 404, 405, 409, 413, 422, 429]) {
      h.upstream.failWith = status;
      const res = await call('GET', `/users/${user.id}`);
      expect(res.status, String(status)).toBe(status);
      expect((await res.json()).error.code).toBe('injected');
    }
  });

  it('names the acting admin to the auth service on every call', async () => {
    const user = h.upstream.addUser({ email: 'actor@hostile.test' });
    const res = await call('POST', `/users/${user.id}/disable`, undefined, 'admin-42');
    expect(res.status).toBe(200);
    expect(h.upstream.actors.at(-1)).toBe('admin-42');
  });

  it('attempts no change when the audit log cannot record it first (503 audit_unavailable)', async () => {
    const user = h.upstream.addUser({ email: 'noaudit@hostile.test', roles: ['user'] });
    const calls = h.upstream.actors.length;
    await h.db.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      const res = await call('PATCH', `/users/${user.id}`, { roles: ['user', 'admin'] });
      expect(res.status).toBe(503);
      expect((await res.json()).error.code).toBe('audit_unavailable');
    } finally {
      await h.db.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
    expect(h.upstream.users.get(user.id)?.roles).toEqual(['user']);
    expect(h.upstream.actors.length).toBe(calls);
  });

  it('keeps the pending entry of an acknowledged change whose outcome could not be recorded', async () => {
    const user = h.upstream.addUser({ email: 'pending@hostile.test', roles: ['user'] });
    // A real database refusal of the completing UPDATE, not a mock.
    await h.db.query(
      "ALTER TABLE audit_log ADD CONSTRAINT no_success_now CHECK (outcome <> 'success') NOT VALID",
    );
    let res: Response;
    try {
      res = await call('PATCH', `/users/${user.id}`, { roles: ['user', 'editor'] });
    } finally {
      await h.db.query('ALTER TABLE audit_log DROP CONSTRAINT no_success_now');
    }
    expect(res.status).toBe(200);
    const [entry] = await h.auditEntries({ action: 'users.update', target: user.id });
    expect(entry).toMatchObject({ outcome: 'pending', status: null, actorId: 'admin-1' });
    expect(h.logs.join('\n')).toContain('audit entry not completed');
  });

  it('stores any text an entry carries, lone surrogates and NUL included, instead of losing the entry', async () => {
    const log = createAuditLog(h.db);
    await log.record({
      requestId: 'req-hostile-json',
      actorId: 'admin-1',
      action: 'users.update',
      targetId: 'x',
      outcome: 'rejected',
      status: 422,
      details: { name: 'a\ud800b\u0000c', nested: ['\udfff'] },
    });
    const [entry] = (await log.list({ actor: 'admin-1', page: 1, pageSize: 100 })).items.filter(
      (e) => e.requestId === 'req-hostile-json',
    );
    expect(entry?.details).toEqual({ name: 'a\ufffdb\ufffdc', nested: ['\ufffd'] });
  });
});
