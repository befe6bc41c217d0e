import { revocationKeys } from '@bff-auth/revocation';
import { createRedis } from '@bff-auth/service-kit/redis';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

describe('internal user-management API', () => {
  let auth: TestAuthService;
  let token: string;
  const password = 'correct horse';
  /** The admin on whose behalf the calls are made (admin-api relays the verified `sub`). */
  const ACTOR = 'acting-admin-1';

  beforeAll(async () => {
    auth = await startAuthService();
    token = await auth.adminApiToken();
  });
  afterAll(() => auth.close());

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const bearer = init.token === undefined ? token : init.token;
    if (bearer) headers.set('authorization', `Bearer ${bearer}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (!headers.has('x-acting-admin')) headers.set('x-acting-admin', ACTOR);
    return fetch(`${auth.internalUrl}${path}`, { ...init, headers });
  };

  describe('access', () => {
    it('refuses a request without a token', async () => {
      const response = await call('/users', { token: null });
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized');
    });

    it("refuses a user's access token meant for another audience", async () => {
      await auth.createUser({ email: 'eve@example.com', password, roles: ['user', 'admin'] });
      const tokens = await auth.signIn('eve@example.com', password, { clientId: 'admin-web' });
      const response = await call('/users', { token: tokens.access_token });
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('invalid_token');
    });

    it('refuses a client-credentials token without the users:manage scope', async () => {
      const { status, body } = await auth.tokenRequest('admin-api', {
        grant_type: 'client_credentials',
        resource: auth.internalResource,
      });
      expect(status).toBe(200);
      expect(decodeJwt(body.access_token!).scope).toBeUndefined();
      const response = await call('/users', { token: body.access_token! });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('insufficient_scope');
    });

    it('refuses a tampered token', async () => {
      const [h, p] = token.split('.');
      const response = await call('/users', { token: `${h}.${p}.${'A'.repeat(342)}` });
      expect(response.status).toBe(401);
    });

    it('issues admin-api a client-credentials token for the internal audience', () => {
      expect(decodeJwt(token)).toMatchObject({
        aud: 'auth-internal',
        client_id: 'admin-api',
        scope: 'users:manage',
      });
    });
  });

  describe('users', () => {
    it('creates, reads, searches, paginates and updates users', async () => {
      const created = await call('/users', {
        method: 'POST',
        body: JSON.stringify({ email: 'Linus@Example.com', name: 'Linus', password, roles: ['user'] }),
      });
      expect(created.status).toBe(201);
      const user = (await created.json()).data;
      expect(user).toMatchObject({
        email: 'Linus@Example.com',
        roles: ['user'],
        disabled: false,
        lastSignInAt: null,
      });
      expect(user).not.toHaveProperty('passwordHash');

      const duplicate = await call('/users', {
        method: 'POST',
        body: JSON.stringify({ email: 'linus@example.com', name: 'Other', password }),
      });
      expect(duplicate.status).toBe(409);
      expect((await duplicate.json()).error.code).toBe('email_taken');

      expect((await (await call(`/users/${user.id}`)).json()).data.id).toBe(user.id);
      const search = (await (await call('/users?q=LINUS')).json()).data;
      expect(search.items.map((u: { id: string }) => u.id)).toEqual([user.id]);
      const page = (await (await call('/users?page=1&pageSize=1')).json()).data;
      expect(page.items).toHaveLength(1);
      expect(page.total).toBeGreaterThanOrEqual(2);

      const patched = await call(`/users/${user.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'Linus T', roles: ['user', 'admin'] }),
      });
      expect((await patched.json()).data).toMatchObject({ name: 'Linus T', roles: ['user', 'admin'] });
    });

    it('puts the new roles into the next access token after a role change', async () => {
      const user = await auth.createUser({ email: 'roles@example.com', password, roles: ['user'] });
      const first = await auth.signIn('roles@example.com', password);
      expect(decodeJwt(first.access_token).roles).toEqual(['user']);
      await call(`/users/${user.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ roles: ['user', 'editor'] }),
      });
      const refreshed = await auth.tokenRequest('user-web', {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
      });
      expect(decodeJwt(refreshed.body.access_token!).roles).toEqual(['user', 'editor']);
      expect(await auth.service.revocation.rolesChangedAt(user.id)).toEqual(expect.any(Number));
    });

    it('answers 404 for an unknown or malformed id', async () => {
      expect((await call('/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const malformed = await call('/users/..%2F..%2Fetc');
      expect(malformed.status).toBe(404);
    });
  });

  describe('sessions', () => {
    it('lists sessions, and revoking all writes the Redis keys, publishes the event and ends refresh', async () => {
      const user = await auth.createUser({ email: 'ses@example.com', password });
      const tokens = await auth.signIn('ses@example.com', password);
      const sid = decodeJwt(tokens.access_token).sid as string;

      const sessions = (await (await call(`/users/${user.id}/sessions`)).json()).data;
      expect(sessions).toHaveLength(1);
      expect(sessions[0].clients).toEqual(['user-web']);
      expect(sessions[0].clientSids['user-web']).toBe(sid);

      const subscriber = createRedis({ url: auth.redis.url, failFast: false });
      await subscriber.subscribe(auth.service.revocation.channel);
      const message = new Promise<string>((resolve) => subscriber.on('message', (_c, m) => resolve(m)));

      const logout = await call(`/users/${user.id}/logout`, { method: 'POST' });
      expect((await logout.json()).data).toEqual({ revokedSessions: 1 });
      expect(JSON.parse(await message)).toMatchObject({ type: 'session-revoked', userId: user.id });
      subscriber.disconnect();

      expect(await auth.redis.redis.get(revocationKeys.session(user.id, sid))).toBe('1');
      expect(Number(await auth.redis.redis.get(revocationKeys.userNotBefore(user.id)))).toBeGreaterThan(
        decodeJwt(tokens.access_token).iat!,
      );
      expect(
        await auth.service.revocation.check({
          userId: user.id,
          sid,
          issuedAt: decodeJwt(tokens.access_token).iat!,
        }),
      ).not.toBeNull();

      const refresh = await auth.tokenRequest('user-web', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      });
      expect(refresh.body.error).toBe('invalid_grant');
      expect((await (await call(`/users/${user.id}/sessions`)).json()).data).toEqual([]);
    });

    it('disable refuses sign-in and refresh; enable lets the user back in', async () => {
      const user = await auth.createUser({ email: 'dis@example.com', password });
      const tokens = await auth.signIn('dis@example.com', password);

      const disabled = await call(`/users/${user.id}/disable`, { method: 'POST' });
      expect((await disabled.json()).data.disabled).toBe(true);
      expect(await auth.redis.redis.get(revocationKeys.userDisabled(user.id))).toBe('1');

      const refresh = await auth.tokenRequest('user-web', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      });
      expect(refresh.body.error).toBe('invalid_grant');
      const attempt = await auth.signInOverHttp({ clientId: 'user-web', email: 'dis@example.com', password });
      expect(attempt.ok).toBe(false);
      if (!attempt.ok) {
        // The same answer as a wrong password: the page never confirms that the password was right.
        expect(attempt.status).toBe(401);
        expect(attempt.page).toContain('Incorrect email or password.');
      }

      await call(`/users/${user.id}/enable`, { method: 'POST' });
      expect(await auth.redis.redis.get(revocationKeys.userDisabled(user.id))).toBeNull();
      // Not-before has a one-second granularity: wait it out before signing in again.
      await new Promise((r) => setTimeout(r, 1100));
      await expect(auth.signIn('dis@example.com', password)).resolves.toHaveProperty('access_token');
    });
  });

  describe('bad input', () => {
    it('answers missing and mistyped fields with 422 and field errors', async () => {
      const response = await call('/users', {
        method: 'POST',
        body: JSON.stringify({ email: 'nope', roles: 'admin' }),
      });
      expect(response.status).toBe(422);
      const { error } = await response.json();
      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.details)).toEqual(
        expect.arrayContaining(['email', 'name', 'password', 'roles']),
      );
      expect(error.requestId).toEqual(expect.any(String));
    });

    it('answers malformed JSON with 400 and a non-JSON body with 415', async () => {
      expect((await call('/users', { method: 'POST', body: '{"email":' })).status).toBe(400);
      const text = await call('/users', {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
    });

    it('answers a body over 1 MB with 413', async () => {
      const response = await call('/users', {
        method: 'POST',
        body: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
      });
      expect(response.status).toBe(413);
    });

    it('answers bad query parameters with 422 and an empty update with 422', async () => {
      expect((await call('/users?pageSize=1000')).status).toBe(422);
      const user = await auth.createUser({ email: 'bad@example.com', password });
      expect((await call(`/users/${user.id}`, { method: 'PATCH', body: '{}' })).status).toBe(422);
      expect(
        (await call(`/users/${user.id}`, { method: 'PATCH', body: '{"roles":["Admin!"]}' })).status,
      ).toBe(422);
    });

    it('answers headers over 16 KB with 431', async () => {
      const response = await call('/users', { headers: { 'x-big': 'a'.repeat(17 * 1024) } });
      expect(response.status).toBe(431);
    });
  });
});
