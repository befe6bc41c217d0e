import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startAuthService, type TestAuthService } from '../testing';

/** Every absolute URL anywhere in a JSON document. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

const HOSTILE: Record<string, string>[] = [
  { host: 'evil.example' },
  { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
  { host: 'evil.example:8002', 'x-forwarded-host': 'evil.example' },
];

describe.each([false, true])('endpoints come from AUTH_ISSUER only (TRUST_PROXY=%s)', (trustProxy) => {
  let auth: TestAuthService;
  beforeAll(async () => {
    auth = await startAuthService({ env: { TRUST_PROXY: String(trustProxy) } });
  });
  afterAll(() => auth.close());

  it.each(HOSTILE)('discovery ignores a hostile %o', async (headers) => {
    const res = await rawRequest(`${auth.url}/.well-known/openid-configuration`, { headers });
    expect(res.status).toBe(200);
    const urls = urlsIn(JSON.parse(res.body));
    expect(urls.length).toBeGreaterThan(4);
    for (const url of urls) expect(new URL(url).origin).toBe(auth.issuer);
  });

  it('builds the sign-in redirect from the issuer, not the Host header', async () => {
    const authorize = await auth.authorizeUrl('user-web', {
      response_type: 'code',
      redirect_uri: 'http://localhost:3002/api/auth/callback',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    const res = await rawRequest(authorize.href, {
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    });
    expect(res.status).toBe(303);
    expect(new URL(String(res.headers.location), auth.issuer).origin).toBe(auth.issuer);
    expect(JSON.stringify(res.headers)).not.toContain('evil.example');
  });
});

describe('provider response headers', () => {
  let auth: TestAuthService;
  beforeAll(async () => {
    auth = await startAuthService({ jwksCacheMaxAgeSeconds: 120 });
  });
  afterAll(() => auth.close());

  it('lets discovery and the JWKS be cached for a bounded time', async () => {
    const discovery = await fetch(`${auth.url}/.well-known/openid-configuration`);
    expect(discovery.headers.get('cache-control')).toBe('public, max-age=300');
    const jwks = await fetch(`${auth.url}/jwks`);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=120');
  });

  it.each([
    '/session/end',
    '/session/end?client_id=user-web',
    '/auth?client_id=nobody',
    '/.well-known/openid-configuration',
  ])('never lets %s be framed', async (path) => {
    const res = await fetch(`${auth.url}${path}`, { redirect: 'manual' });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
