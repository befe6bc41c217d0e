import { listen } from '@bff-auth/service-kit/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApiHarness, startAdminApi } from './test-support';

describe('admin-api HTTP behaviour', () => {
  let h: AdminApiHarness;
  beforeAll(async () => {
    h = await startAdminApi('http');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('exchanges the admin token once for 20 concurrent first requests carrying it', async () => {
    const authorization = await h.bearer('admin-1');
    const all = await Promise.all(
      Array.from({ length: 20 }, () => h.app.request('/api/v1/admin/users', { headers: { authorization } })),
    );
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(h.upstream.tokenRequests).toBe(1);
  });

  it('answers /health and /ready', async () => {
    expect((await h.app.request('/health')).status).toBe(200);
    const ready = await h.app.request('/ready');
    expect(ready.status).toBe(200);
    expect((await ready.json()).data).toEqual({ database: 'ok', redis: 'ok' });
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await h.app.request('/api/v1/admin/users', {
      method: 'POST',
      headers: { authorization: await h.bearer('admin-1'), 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'big@example.com',
        name: 'x'.repeat(1024 * 1024),
        password: 'long-password',
      }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('answers 415 and 400 for bodies that are not JSON', async () => {
    const send = async (body: string, type: string) =>
      h.app.request('/api/v1/admin/users', {
        method: 'POST',
        headers: { authorization: await h.bearer('admin-1'), 'content-type': type },
        body,
      });
    expect((await send('email=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await send('{"email":', 'application/json')).status).toBe(400);
  });

  it('answers 404 in the envelope and returns X-Request-ID', async () => {
    const res = await h.app.request('/api/v1/admin/nothing-here', {
      headers: { authorization: await h.bearer('admin-1'), 'x-request-id': 'trace-me-1' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-me-1');
    expect(await res.json()).toMatchObject({
      status: 'error',
      error: { code: 'not_found', requestId: 'trace-me-1' },
    });
  });

  it('answers 431 to request headers over 16 KB on the listening server', async () => {
    const server = await listen(h.app, { port: 0 });
    try {
      const res = await fetch(`${server.url}/health`, { headers: { 'x-filler': 'x'.repeat(17 * 1024) } });
      expect(res.status).toBe(431);
    } finally {
      await server.close();
    }
  });

  it('never logs a bearer token', async () => {
    const authorization = await h.bearer('admin-1');
    await h.app.request('/api/v1/admin/users', { headers: { authorization } });
    expect(h.logs.join('')).not.toContain(authorization.slice(7));
    expect(h.logs.join('')).not.toContain(h.upstream.clientSecret);
  });
});
