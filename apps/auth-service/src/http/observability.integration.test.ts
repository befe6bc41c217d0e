import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

describe('request ids and logs', () => {
  let auth: TestAuthService;
  const lines: string[] = [];
  const password = 'a secret password 42';

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    auth = await startAuthService({ logDestination: destination });
  });
  afterAll(() => auth.close());

  it('returns a client X-Request-ID on provider and own routes, and makes one when absent', async () => {
    for (const path of ['/.well-known/openid-configuration', '/health', '/internal/v1/users']) {
      const given = await fetch(`${auth.url}${path}`, { headers: { 'x-request-id': 'trace-123' } });
      expect(given.headers.get('x-request-id')).toBe('trace-123');
      const made = await fetch(`${auth.url}${path}`);
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('answers /ready with the state of the database and Redis', async () => {
    const ready = await fetch(`${auth.url}/ready`);
    expect(await ready.json()).toMatchObject({ status: 'success', data: { database: 'ok', redis: 'ok' } });
  });

  it('never logs a password, a token, a client secret or a cookie', async () => {
    const adminToken = await auth.adminApiToken();
    await fetch(`${auth.internalUrl}/users`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
        'x-acting-admin': 'some-admin',
      },
      body: JSON.stringify({ email: 'log@example.com', name: 'Log', password }),
    });
    const wrong = await auth.signInOverHttp({
      clientId: 'user-web',
      email: 'log@example.com',
      password: 'nope nope',
    });
    expect(wrong.ok).toBe(false);
    const tokens = await auth.signIn('log@example.com', password);
    const refreshed = await auth.tokenRequest('user-web', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });

    const log = lines.join('');
    expect(log).toContain('"requestId"');
    for (const secret of [
      password,
      'nope nope',
      adminToken,
      tokens.access_token,
      tokens.refresh_token!,
      tokens.id_token!,
      refreshed.body.refresh_token!,
      auth.secrets['user-web'],
      auth.secrets['admin-api'],
    ]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(log).not.toMatch(/_session=/);
  });
});
