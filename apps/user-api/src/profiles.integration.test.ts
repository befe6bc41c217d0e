import { listen, UNSAFE_TEXT_MESSAGE } from '@bff-auth/service-kit/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserApi, type UserApiHarness } from './test-support';

describe('GET/PUT /api/v1/profiles/me', () => {
  let h: UserApiHarness;
  beforeAll(async () => {
    h = await startUserApi('profiles');
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = async (sub: string, claims?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    h.app.request('/api/v1/profiles/me', {
      headers: { authorization: await h.bearer(sub, claims), ...headers },
    });
  const put = async (sub: string, body: unknown, headers: Record<string, string> = {}) =>
    h.app.request('/api/v1/profiles/me', {
      method: 'PUT',
      headers: { authorization: await h.bearer(sub), 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('creates the profile on first access from the name claim', async () => {
    const res = await get('u-name', { name: 'Ada King Lovelace', email: 'ada@example.com' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      status: 'success',
      data: {
        firstName: 'Ada',
        lastName: 'King Lovelace',
        displayName: 'Ada King Lovelace',
        locale: 'en',
        updatedAt: expect.any(String),
      },
    });
    expect(Number.isNaN(Date.parse(body.data.updatedAt))).toBe(false);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('falls back to the email, then to the subject, for the display name', async () => {
    expect((await (await get('u-mail', { email: 'grace@example.com' })).json()).data.displayName).toBe(
      'grace',
    );
    expect((await (await get('u-bare')).json()).data.displayName).toBe('u-bare');
  });

  it('keeps the profile once created, whatever later tokens say', async () => {
    await get('u-stable', { name: 'First Name' });
    expect((await (await get('u-stable', { name: 'Other Name' })).json()).data.displayName).toBe(
      'First Name',
    );
  });

  it('creates one profile when many first requests arrive at once', async () => {
    const all = await Promise.all(
      Array.from({ length: 10 }, () => get('u-race', { name: 'Race Condition' })),
    );
    expect(all.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it('updates the given fields and moves updatedAt', async () => {
    const before = (await (await get('u-edit')).json()).data;
    await new Promise((r) => setTimeout(r, 5));
    const res = await put('u-edit', { firstName: 'Alan', lastName: 'Turing', locale: 'en-GB' });
    expect(res.status).toBe(200);
    const after = (await res.json()).data;
    expect(after).toMatchObject({
      firstName: 'Alan',
      lastName: 'Turing',
      displayName: 'u-edit',
      locale: 'en-GB',
    });
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect((await (await get('u-edit')).json()).data).toEqual(after);
  });

  it('answers 422 with field errors for invalid input', async () => {
    const res = await put('u-bad', { displayName: '', locale: 'not a locale!', firstName: 'x'.repeat(101) });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.details).sort()).toEqual(['displayName', 'firstName', 'locale']);
    expect(body.error.details.locale[0]).toContain('language tag');
  });

  it('answers 422 for an empty update and for control characters', async () => {
    expect((await put('u-bad', {})).status).toBe(422);
    const res = await put('u-bad', { displayName: 'evil\u0000name' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.details.displayName).toEqual([UNSAFE_TEXT_MESSAGE]);
  });

  it('answers 422 for a lone surrogate or a direction override, keeping the profile as it was', async () => {
    expect((await put('u-text', { displayName: 'Kept' })).status).toBe(200);
    const before = (await (await get('u-text')).json()).data;
    for (const [field, value] of [
      ['displayName', '\ud800'],
      ['firstName', 'a\udfffb'],
      ['lastName', '\u202Eevil'],
      ['displayName', 'x\u2066y'],
    ] as const) {
      const res = await put('u-text', { [field]: value });
      expect(res.status, `${field} ${JSON.stringify(value)}`).toBe(422);
      expect((await res.json()).error.details[field]).toEqual([UNSAFE_TEXT_MESSAGE]);
    }
    expect((await (await get('u-text')).json()).data).toEqual(before);
  });

  it('answers 415 for a body that is not JSON and 400 for broken JSON', async () => {
    const text = await put('u-bad', 'firstName=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(text.status).toBe(415);
    const broken = await put('u-bad', '{"firstName":');
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe('invalid_json');
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await put('u-big', { displayName: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('answers 405 with Allow for other methods and 404 for unknown routes, in the envelope', async () => {
    const del = await h.app.request('/api/v1/profiles/me', {
      method: 'DELETE',
      headers: { authorization: await h.bearer('u-1') },
    });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, PUT');
    expect((await del.json()).error.code).toBe('method_not_allowed');
    const missing = await h.app.request('/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 'error', error: { code: 'not_found' } });
  });

  it('echoes a well-formed X-Request-ID and makes one otherwise', async () => {
    const echoed = await get('u-1', {}, { 'x-request-id': 'req-abc-123' });
    expect(echoed.headers.get('x-request-id')).toBe('req-abc-123');
    const made = await h.app.request('/api/v1/profiles/me');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await made.json()).error.requestId).toBe(made.headers.get('x-request-id'));
  });

  it('never logs a token, and logs the request id', async () => {
    const authorization = await h.bearer('u-logs');
    await h.app.request('/api/v1/profiles/me', { headers: { authorization, 'x-request-id': 'log-check-1' } });
    await h.app.request('/api/v1/profiles/me', { headers: { authorization: `${authorization}x` } });
    const text = h.logs.join('');
    expect(text).not.toContain(authorization.slice(7));
    expect(text).toContain('log-check-1');
  });

  it('answers /health and /ready', async () => {
    expect(await (await h.app.request('/health')).json()).toEqual({
      status: 'success',
      data: { alive: true },
    });
    const ready = await h.app.request('/ready');
    expect(ready.status).toBe(200);
    expect((await ready.json()).data).toEqual({ database: 'ok', redis: 'ok' });
  });

  it('answers 431 to request headers over 16 KB on the listening server', async () => {
    const server = await listen(h.app, { port: 0 });
    try {
      const res = await fetch(`${server.url}/health`, { headers: { 'x-filler': 'x'.repeat(17 * 1024) } });
      expect(res.status).toBe(431);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
