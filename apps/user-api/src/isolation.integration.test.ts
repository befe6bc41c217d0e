import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserApi, type UserApiHarness } from './test-support';

describe('one user cannot reach another user profile', () => {
  let h: UserApiHarness;
  beforeAll(async () => {
    h = await startUserApi('isolation');
    // B has a profile with recognisable data.
    await h.app.request('/api/v1/profiles/me', {
      method: 'PUT',
      headers: { authorization: await h.bearer('user-b'), 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'B secret name' }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const asA = async (path: string, init: RequestInit = {}) =>
    h.app.request(path, {
      ...init,
      headers: {
        authorization: await h.bearer('user-a'),
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  it('ignores a spoofed X-User-ID and similar headers', async () => {
    const res = await asA('/api/v1/profiles/me', {
      headers: { 'x-user-id': 'user-b', 'x-forwarded-user': 'user-b', 'x-auth-request-user': 'user-b' },
    });
    expect((await res.json()).data.displayName).toBe('user-a');
  });

  it('ignores user ids in the query string', async () => {
    const res = await asA('/api/v1/profiles/me?userId=user-b&sub=user-b&id=user-b');
    expect((await res.json()).data.displayName).toBe('user-a');
  });

  it('has no route that takes a user id', async () => {
    for (const path of [
      '/api/v1/profiles/user-b',
      '/api/v1/profiles/me/../user-b',
      '/api/v1/profiles/me%2F..%2Fuser-b',
    ]) {
      const res = await asA(path);
      expect(res.status).toBe(404);
      expect(JSON.stringify(await res.json())).not.toContain('B secret name');
    }
  });

  it('refuses a body that names a user, and leaves B untouched', async () => {
    for (const body of [
      { userId: 'user-b', displayName: 'pwned' },
      { sub: 'user-b' },
      { user_id: 'user-b' },
    ]) {
      const res = await asA('/api/v1/profiles/me', { method: 'PUT', body: JSON.stringify(body) });
      expect(res.status).toBe(422);
    }
    const b = await h.app.request('/api/v1/profiles/me', {
      headers: { authorization: await h.bearer('user-b') },
    });
    expect((await b.json()).data.displayName).toBe('B secret name');
  });
});
