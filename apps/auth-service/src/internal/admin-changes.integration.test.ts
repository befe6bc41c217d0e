import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';
import { adminAudit } from './audit-trail';

const PASSWORD = 'correct horse';

describe('internal API: changes are audited in their transaction and never lock the admins out', () => {
  let auth: TestAuthService;
  let token: string;

  beforeAll(async () => {
    auth = await startAuthService();
    token = await auth.adminApiToken();
  });
  afterAll(() => auth.close());

  let counter = 0;
  const call = (path: string, init: RequestInit & { actor?: string | null; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    headers.set('x-request-id', `req-${++counter}-${Date.now()}`);
    if (init.actor !== null) headers.set('x-acting-admin', init.actor ?? 'outside-admin');
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${auth.internalUrl}${path}`, {
      ...init,
      headers,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  };
  const requestIdOf = (response: Response) => response.headers.get('x-request-id')!;
  const userRow = async (id: string) =>
    (await auth.db.query('SELECT name, roles, disabled, updated_at FROM users WHERE id = $1', [id])).rows[0];
  const auditCount = async () =>
    Number((await auth.db.query<{ n: string }>('SELECT count(*) AS n FROM admin_audit')).rows[0]!.n);

  describe('audit rows in the same transaction as the change', () => {
    it('writes the change and its audit row (actor, client, request id, before, after) together', async () => {
      const user = await auth.createUser({
        email: 'audited@example.com',
        password: PASSWORD,
        name: 'Before',
      });
      const res = await call(`/users/${user.id}`, {
        method: 'PATCH',
        actor: 'admin-7',
        json: { name: 'After', roles: ['user', 'editor'] },
      });
      expect(res.status).toBe(200);
      const rows = await adminAudit.list(auth.db, { requestId: requestIdOf(res) });
      expect(rows).toEqual([
        expect.objectContaining({
          actorId: 'admin-7',
          clientId: 'admin-api',
          action: 'users.update',
          targetId: user.id,
          outcome: 'success',
          before: { name: 'Before', roles: ['user'], disabled: false },
          after: { name: 'After', roles: ['user', 'editor'], disabled: false },
        }),
      ]);
    });

    it('leaves the change undone when its audit row cannot be written', async () => {
      const user = await auth.createUser({
        email: 'atomic@example.com',
        password: PASSWORD,
        name: 'Unchanged',
      });
      const before = await userRow(user.id);
      // A real database failure on the audit insert, not a mock: the row is refused by a constraint.
      await auth.db.query(
        "ALTER TABLE admin_audit ADD CONSTRAINT no_updates_today CHECK (action <> 'users.update') NOT VALID",
      );
      try {
        const res = await call(`/users/${user.id}`, { method: 'PATCH', json: { roles: ['user', 'admin'] } });
        expect(res.status).toBe(500);
        expect(await userRow(user.id)).toEqual(before);
        expect(await auth.service.revocation.rolesChangedAt(user.id)).toBeNull();
      } finally {
        await auth.db.query('ALTER TABLE admin_audit DROP CONSTRAINT no_updates_today');
      }
    });

    it('audits create, disable, enable and force logout, and never the password', async () => {
      const created = await call('/users', {
        method: 'POST',
        json: { email: 'lifecycle@example.com', name: 'Life', password: PASSWORD },
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()).data;
      for (const verb of ['disable', 'enable', 'logout']) {
        expect((await call(`/users/${id}/${verb}`, { method: 'POST' })).status).toBe(200);
      }
      const rows = await adminAudit.list(auth.db, { targetId: id });
      expect(rows.map((r) => [r.action, r.outcome])).toEqual([
        ['users.create', 'success'],
        ['users.disable', 'success'],
        ['users.enable', 'success'],
        ['users.logout', 'success'],
      ]);
      expect(rows[1]).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
      expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    });

    it('refuses a change that does not name the acting admin, before anything is written', async () => {
      const user = await auth.createUser({ email: 'anonymous@example.com', password: PASSWORD });
      const before = [await userRow(user.id), await auditCount()];
      for (const actor of [null, '', '../admin', 'a b', 'x'.repeat(200)]) {
        const res = await call(`/users/${user.id}/disable`, { method: 'POST', actor });
        expect(res.status, JSON.stringify(actor)).toBe(422);
        expect((await res.json()).error.details).toHaveProperty('x-acting-admin');
      }
      expect([await userRow(user.id), await auditCount()]).toEqual(before);
      expect(await auth.redis.redis.get(`user:disabled:${user.id}`)).toBeNull();
    });
  });

  describe('hostile text', () => {
    it('refuses a name with a lone surrogate, NUL or a direction override with 422, writing nothing', async () => {
      const user = await auth.createUser({
        email: 'hostile@example.com',
        password: PASSWORD,
        roles: ['user'],
      });
      const before = [await userRow(user.id), await auditCount()];
      for (const name of ['\ud800', 'a\u0000b', 'x\udfff', '\u202Egnp.exe', 'tab\there']) {
        const res = await call(`/users/${user.id}`, { method: 'PATCH', json: { name, roles: ['admin'] } });
        expect(res.status, JSON.stringify(name)).toBe(422);
        expect((await res.json()).error.details).toHaveProperty('name');
      }
      expect([await userRow(user.id), await auditCount()]).toEqual(before);
    });

    it('answers a search or a new user with control characters with 422, never 500', async () => {
      for (const q of ['%00', 'a%00b', '%1B[31m', '%E2%80%AEevil']) {
        const res = await call(`/users?q=${q}`);
        expect(res.status, q).toBe(422);
        expect((await res.json()).error.details).toHaveProperty('q');
      }
      const created = await call('/users', {
        method: 'POST',
        json: { email: 'nul@example.com', name: 'Nul\u0000', password: 'pass\u0000word' },
      });
      expect(created.status).toBe(422);
      expect(Object.keys((await created.json()).error.details).sort()).toEqual(['name', 'password']);
    });
  });

  describe('role changes reach the APIs', () => {
    it('records the role change for the second from which every new token carries the new roles', async () => {
      const user = await auth.createUser({
        email: 'demoted@example.com',
        password: PASSWORD,
        roles: ['user', 'admin'],
      });
      await auth.createUser({ email: 'other-admin@example.com', password: PASSWORD, roles: ['admin'] });
      const first = await auth.signIn('demoted@example.com', PASSWORD, { clientId: 'admin-web' });
      const res = await call(`/users/${user.id}`, { method: 'PATCH', json: { roles: ['user'] } });
      expect(res.status).toBe(200);
      const changedAt = await auth.service.revocation.rolesChangedAt(user.id);
      // The APIs refuse iat < changedAt: the token from before the change is refused…
      expect(decodeJwt(first.access_token).iat).toBeLessThan(changedAt!);
      // …and the BFF's refresh right after the change is not, and carries the new roles.
      const refreshed = await auth.tokenRequest('admin-web', {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
      });
      const claims = decodeJwt(refreshed.body.access_token!);
      expect(claims.roles).toEqual(['user']);
      expect(claims.iat).toBeGreaterThanOrEqual(changedAt!);
    });
  });

  describe('admins cannot lock everyone out', () => {
    it('refuses self-demotion and self-disable with 409, audited as refused, changing nothing', async () => {
      const me = await auth.createUser({
        email: 'me@example.com',
        password: PASSWORD,
        roles: ['user', 'admin'],
      });
      await auth.createUser({ email: 'spare-admin@example.com', password: PASSWORD, roles: ['admin'] });
      const before = await userRow(me.id);
      const demote = await call(`/users/${me.id}`, {
        method: 'PATCH',
        actor: me.id,
        json: { roles: ['user'] },
      });
      expect(demote.status).toBe(409);
      expect((await demote.json()).error.code).toBe('cannot_demote_self');
      const disable = await call(`/users/${me.id}/disable`, { method: 'POST', actor: me.id });
      expect(disable.status).toBe(409);
      expect((await disable.json()).error.code).toBe('cannot_disable_self');
      expect(await userRow(me.id)).toEqual(before);
      expect(await auth.redis.redis.get(`user:disabled:${me.id}`)).toBeNull();
      const rows = await adminAudit.list(auth.db, { targetId: me.id });
      expect(rows.map((r) => [r.action, r.outcome, r.errorCode, r.actorId])).toEqual([
        ['users.update', 'refused', 'cannot_demote_self', me.id],
        ['users.disable', 'refused', 'cannot_disable_self', me.id],
      ]);
      // Renaming oneself is fine.
      const rename = await call(`/users/${me.id}`, { method: 'PATCH', actor: me.id, json: { name: 'Me' } });
      expect(rename.status).toBe(200);
    });

    it('lets only one of two concurrent demotions of the last two admins through', async () => {
      const a = await auth.createUser({ email: 'last-a@example.com', password: PASSWORD, roles: ['admin'] });
      const b = await auth.createUser({ email: 'last-b@example.com', password: PASSWORD, roles: ['admin'] });
      // Leave a and b as the only enabled admins.
      const { rows } = await auth.db.query<{ id: string }>(
        "SELECT id FROM users WHERE 'admin' = ANY(roles) AND NOT disabled AND id NOT IN ($1, $2)",
        [a.id, b.id],
      );
      for (const { id } of rows) {
        expect((await call(`/users/${id}`, { method: 'PATCH', json: { roles: ['user'] } })).status).toBe(200);
      }
      const results = await Promise.all([
        call(`/users/${a.id}`, { method: 'PATCH', json: { roles: ['user'] } }),
        call(`/users/${b.id}/disable`, { method: 'POST' }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const refused = results.find((r) => r.status === 409)!;
      expect((await refused.json()).error.code).toBe('last_admin');
      expect(await auth.service.users.countEnabledWithRole('admin', '-')).toBe(1);
      const audit = await adminAudit.list(auth.db, { requestId: requestIdOf(refused) });
      expect(audit).toEqual([expect.objectContaining({ outcome: 'refused', errorCode: 'last_admin' })]);
    });
  });
});
