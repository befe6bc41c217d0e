import { describe, expect, it } from 'vitest';
import { CsrfError, checkCsrf } from './check-csrf';

const APP = 'http://localhost:3002';
const req = (method: string, headers: Record<string, string> = {}) =>
  new Request(`${APP}/api/profile`, { method, headers });

describe('checkCsrf (SPEC §5, §8)', () => {
  it('lets safe methods through without any header', () => {
    expect(() => checkCsrf(req('GET'), APP)).not.toThrow();
    expect(() => checkCsrf(req('HEAD'), APP)).not.toThrow();
  });

  it('accepts a same-origin fetch with X-CSRF: 1', () => {
    expect(() =>
      checkCsrf(req('PUT', { 'x-csrf': '1', origin: APP, 'sec-fetch-site': 'same-origin' }), APP),
    ).not.toThrow();
    expect(() => checkCsrf(req('POST', { 'x-csrf': '1' }), APP)).not.toThrow();
  });

  it.each([
    ['missing X-CSRF', { origin: APP }],
    ['wrong X-CSRF value', { 'x-csrf': 'true', origin: APP }],
    ['foreign Origin', { 'x-csrf': '1', origin: 'https://evil.com' }],
    ['Origin null', { 'x-csrf': '1', origin: 'null' }],
    ['Origin on another port', { 'x-csrf': '1', origin: 'http://localhost:3003' }],
    ['Sec-Fetch-Site cross-site', { 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }],
    [
      'cross-site form POST',
      {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.com',
        'sec-fetch-site': 'cross-site',
      },
    ],
  ])('refuses a state-changing request with %s', (_name, headers) => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      let error: unknown;
      try {
        checkCsrf(req(method, headers), APP);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CsrfError);
      expect((error as CsrfError).status).toBe(403);
      expect((error as CsrfError).code).toBe('csrf_rejected');
    }
  });
});
