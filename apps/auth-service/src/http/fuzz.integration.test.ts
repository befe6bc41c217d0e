import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignInForm } from '../interaction/sign-in-form.test-helper';
import { rawRequest, startAuthService, type TestAuthService } from '../testing';

// Property-based tests over the auth service's own routes (SPEC §8): whatever text, bytes or method a
// client sends, the answer is 2xx, 3xx or 4xx, never 5xx. Bounded runs keep the file fast.
const RUNS = { numRuns: 60 };

/** Text no well-behaved client sends: NUL and control characters, lone surrogates, RTL overrides, 100 KB. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b@example.com',
    '\u0007\u001b[31m',
    '\ud800',
    'x\udfffy',
    '\u202Emoc.elpmaxe@evil',
    '\u200d\ufeff',
    '%',
    '%zz',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    'a'.repeat(100_000),
  ),
);

/** Percent-encodes like a browser, or sends raw bytes no UTF-8 encoder would (lone surrogates, NUL). */
const encodedValue = fc.oneof(
  hostileText.map((s) => new URLSearchParams({ v: s }).toString().slice(2)),
  fc.constantFrom('%00', '%ED%A0%80', '%FF%FE', '%C0%AF', '%E0%A4%A', '%'),
);

const formBody = (fields: string[]) =>
  fc
    .tuple(
      ...fields.map((name) => fc.option(encodedValue, { nil: undefined }).map((v) => [name, v] as const)),
    )
    .map((pairs) =>
      pairs
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join('&'),
    );

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'LOCK', 'PURGE'];
const PATHS = [
  '/.well-known/openid-configuration',
  '/jwks',
  '/auth',
  '/token',
  '/token/revocation',
  '/token/introspection',
  '/me',
  '/session/end',
  '/session/end/confirm',
  '/logout-hint',
  '/logout-session',
  '/interaction/abc',
  '/interaction/abc/login',
  '/assets/auth.css',
  '/health',
  '/nope',
];

let auth: TestAuthService;
beforeAll(async () => {
  auth = await startAuthService({
    // Every request comes from 127.0.0.1: the sign-in limits would turn most runs into 429s.
    loginLimits: { failuresPerAccountAndIp: 10_000, attemptsPerIp: 10_000, windowSeconds: 60 },
  });
  await auth.createUser({ email: 'fuzz@example.com', password: 'correct horse' });
});
afterAll(() => auth.close());

const basicAuth = `Basic ${Buffer.from('user-web:test-user-web-secret').toString('base64')}`;
const expectNo5xx = (status: number, what: string) => expect(status, what).toBeLessThan(500);

describe('fuzzing the auth service (never a 5xx)', () => {
  it('any method on any route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom(...PATHS),
        encodedValue,
        async (method, path, q) => {
          const res = await rawRequest(`${auth.url}${path}?x=${q}`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: method === 'GET' || method === 'HEAD' ? undefined : `a=${q}`,
          });
          expectNo5xx(res.status, `${method} ${path}`);
        },
      ),
      RUNS,
    );
  });

  it('sign-in form posts', async () => {
    const form = await openSignInForm(auth.url);
    await fc.assert(
      fc.asyncProperty(formBody(['email', 'password', 'email']), async (body) => {
        const res = await form.post(body);
        expectNo5xx(res.status, body.slice(0, 200));
        expect(res.headers.get('content-type')).toContain('text/html');
      }),
      RUNS,
    );
  });

  it('token endpoint form bodies, with and without client authentication', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.oneof(fc.constantFrom('authorization_code', 'refresh_token', 'client_credentials'), encodedValue),
        formBody(['code', 'refresh_token', 'redirect_uri', 'code_verifier', 'scope', 'resource']),
        async (authenticated, grantType, rest) => {
          const res = await rawRequest(`${auth.url}/token`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...(authenticated ? { authorization: basicAuth } : {}),
            },
            body: `grant_type=${grantType}&${rest}`,
          });
          expectNo5xx(res.status, rest.slice(0, 200));
        },
      ),
      RUNS,
    );
  });

  it('end-session parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('client_id=user-web'), formBody(['client_id'])),
        formBody(['logout_hint', 'post_logout_redirect_uri', 'state', 'id_token_hint', 'ui_locales']),
        fc.constantFrom('GET', 'POST'),
        async (client, rest, method) => {
          const query = `${client}&${rest}`;
          const res =
            method === 'GET'
              ? await rawRequest(`${auth.url}/session/end?${query}`)
              : await rawRequest(`${auth.url}/session/end`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                  body: query,
                });
          expectNo5xx(res.status, query.slice(0, 200));
        },
      ),
      RUNS,
    );
  });

  it('discovery and authorization query strings and hostile headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/.well-known/openid-configuration', '/auth', '/jwks'),
        formBody(['client_id', 'response_type', 'redirect_uri', 'scope', 'state', 'resource', 'prompt']),
        fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
        async (path, query, header) => {
          const res = await rawRequest(`${auth.url}${path}?${query}`, {
            headers: {
              host: header.replace(/[^\x21-\x7e]/g, '') || 'x',
              'x-forwarded-host': header.replace(/[^\x20-\x7e]/g, ''),
              'x-request-id': header.replace(/[^\x20-\x7e]/g, ''),
            },
          });
          expectNo5xx(res.status, `${path}?${query.slice(0, 200)}`);
        },
      ),
      RUNS,
    );
  });
});
