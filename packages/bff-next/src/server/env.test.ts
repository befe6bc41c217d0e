import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadBffEnv } from './env';

describe('loadBffEnv', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads the app-prefixed variables with development defaults', () => {
    const env = loadBffEnv('admin', {});
    expect(env).toMatchObject({
      appOrigin: 'http://localhost:3003',
      apiUrl: 'http://localhost:8003',
      issuer: 'http://localhost:8002',
      clientSecret: 'dev-admin-web-secret',
    });
    expect(Object.keys(env.sessionPasswords)).toEqual(['1']);
  });

  it('parses a password map for rotation', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(40);
    const env = loadBffEnv('user', { USER_WEB_SESSION_PASSWORDS: `2:${b},1:${a}` });
    expect(env.sessionPasswords).toEqual({ 1: a, 2: b });
  });

  it('refuses short passwords and, in production, the development secrets', () => {
    expect(() => loadBffEnv('user', { USER_WEB_SESSION_PASSWORDS: 'short' })).toThrow(
      /at least 32 characters/,
    );
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => loadBffEnv('user', {})).toThrow(/USER_WEB_CLIENT_SECRET: required when NODE_ENV=production/);
  });
});
