import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApiHarness, startAdminApi } from './test-support';

describe('GET /api/v1/admin/audit', () => {
  let h: AdminApiHarness;
  beforeAll(async () => {
    h = await startAdminApi('audit');
    const user = h.upstream.addUser({ email: 'target@audit.test' });
    const as = async (sub: string, roles: string[], method: string, path: string) =>
      h.app.request(`/api/v1/admin${path}`, {
        method,
        headers: { authorization: await h.bearer(sub, roles) },
      });
    await as('boss', ['admin'], 'POST', `/users/${user.id}/disable`);
    await as('boss', ['admin'], 'POST', `/users/${user.id}/enable`);
    await as('intern', ['user'], 'POST', `/users/${user.id}/logout`);
    await as('boss', ['admin'], 'GET', '/users');
  });
  afterAll(async () => {
    await h?.close();
  });

  const audit = async (query = '', roles = ['admin']) =>
    h.app.request(`/api/v1/admin/audit${query}`, {
      headers: { authorization: await h.bearer('auditor', roles) },
    });

  it('lists entries newest first with actor, action, target, time, request id and outcome', async () => {
    const res = await audit();
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data).toMatchObject({ page: 1, pageSize: 20, total: 4 });
    expect(data.items.map((e: { action: string }) => e.action)).toEqual([
      'users.list',
      'users.logout',
      'users.enable',
      'users.disable',
    ]);
    expect(data.items[1]).toMatchObject({
      actorId: 'intern',
      outcome: 'denied',
      status: 403,
      requestId: expect.any(String),
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      targetId: expect.any(String),
    });
  });

  it('filters by actor, target, action and outcome', async () => {
    const byActor = (await (await audit('?actor=intern')).json()).data;
    expect(byActor.items.map((e: { actorId: string }) => e.actorId)).toEqual(['intern']);
    const byAction = (await (await audit('?action=users.disable')).json()).data;
    expect(byAction.total).toBe(1);
    const target = byAction.items[0].targetId;
    expect((await (await audit(`?target=${target}`)).json()).data.total).toBe(3);
    expect((await (await audit('?outcome=denied&actor=intern')).json()).data.total).toBe(1);
  });

  it('paginates', async () => {
    const { data } = await (await audit('?actor=boss&pageSize=2&page=2')).json();
    expect(data).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(data.items).toHaveLength(1);
  });

  it('answers 422 for a bad filter', async () => {
    const res = await audit('?outcome=maybe&page=-1');
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json()).error.details).sort()).toEqual(['outcome', 'page']);
  });

  it('refuses a non-admin with 403 and records the attempt', async () => {
    expect((await audit('', ['user'])).status).toBe(403);
    const log = await h.auditEntries({ action: 'audit.list', actor: 'auditor' });
    expect(log.some((e) => e.outcome === 'denied')).toBe(true);
  });

  it('keeps before and after of a change as JSON', async () => {
    const [disable] = await h.auditEntries({ action: 'users.disable' });
    expect(disable).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
  });
});
