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

  it("defaults the provider settings to our auth service's and reads another provider's", () => {
    expect(loadBffEnv('user', {})).toMatchObject({
      clientId: 'user-web',
      scope: 'openid email profile roles',
      resource: undefined,
      audience: undefined,
      rolesClaim: 'roles',
      requireRestored: true,
    });
    const keycloak = loadBffEnv('admin', {
      ADMIN_WEB_CLIENT_ID: 'bff-admin',
      ADMIN_WEB_SCOPE: '  openid profile   email offline_access ',
      ADMIN_WEB_AUDIENCE: 'https://api.example.com',
      AUTH_ROLES_CLAIM: 'https://example.com/roles',
      REVOCATION_REQUIRE_RESTORED: 'false',
    });
    expect(keycloak).toMatchObject({
      clientId: 'bff-admin',
      scope: 'openid profile email offline_access',
      audience: 'https://api.example.com',
      rolesClaim: 'https://example.com/roles',
      requireRestored: false,
    });
  });

  it('refuses a scope without openid, a bad roles claim path and a resource that is not a URL', () => {
    expect(() => loadBffEnv('user', { USER_WEB_SCOPE: 'email profile' })).toThrow(
      /USER_WEB_SCOPE: must include openid/,
    );
    expect(() => loadBffEnv('user', { AUTH_ROLES_CLAIM: 'realm_access.' })).toThrow(
      /AUTH_ROLES_CLAIM: invalid claim path/,
    );
    expect(() => loadBffEnv('user', { USER_WEB_RESOURCE: 'user api' })).toThrow(/USER_WEB_RESOURCE/);
  });
});
