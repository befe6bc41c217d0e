import {
  anyMethod,
  FUZZ_RUNS,
  hostileHeaderValue,
  hostileQueryValue,
  hostileText,
} from '@bff-auth/token-verifier/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserApi, type UserApiHarness } from './test-support';

/**
 * Input fuzzing as a habit (SPEC §8): arbitrary text (NUL, controls, lone surrogates, direction overrides,
 * 100 KB) and arbitrary methods at every route, with real Redis and a real database. Whatever comes in,
 * the answer is a success or a 4xx — never a 5xx — and refused input leaves the profile as it was.
 */
describe('user-api under arbitrary input (fast-check)', () => {
  let h: UserApiHarness;
  beforeAll(async () => {
    h = await startUserApi('fuzz', { rateLimit: { points: 100_000, durationSec: 3600 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const ROUTES = [
    '/api/v1/profiles/me',
    '/api/v1/profiles',
    '/api/v1/profiles/someone',
    '/health',
    '/ready',
    '/',
  ];
  const FIELDS = ['firstName', 'lastName', 'displayName', 'locale', 'userId'] as const;

  const profileOf = async (authorization: string) =>
    (await (await h.app.request('/api/v1/profiles/me', { headers: { authorization } })).json()).data;

  it('answers any method on any route with a success or a 4xx, never a 5xx', async () => {
    const authorization = await h.bearer('fuzz-methods');
    await fc.assert(
      fc.asyncProperty(
        anyMethod(),
        fc.constantFrom(...ROUTES),
        hostileText(),
        hostileQueryValue(),
        hostileHeaderValue(),
        async (method, route, text, query, header) => {
          const hasBody = !['GET', 'HEAD'].includes(method);
          const res = await h.app.request(`${route}?q=${query}&${query}=1`, {
            method,
            headers: {
              authorization,
              'x-request-id': header,
              'accept-language': header,
              ...(hasBody ? { 'content-type': 'application/json' } : {}),
            },
            ...(hasBody ? { body: JSON.stringify({ displayName: text }) } : {}),
          });
          expect(res.status, `${method} ${route}`).toBeLessThan(500);
        },
      ),
      FUZZ_RUNS,
    );
  });

  it('stores a PUT exactly as sent (trimmed) or refuses it with 4xx and changes nothing', async () => {
    const authorization = await h.bearer('fuzz-put');
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...FIELDS), hostileText(), { maxKeys: 3 }),
        fc.boolean(),
        async (update, asText) => {
          const before = await profileOf(authorization);
          const res = await h.app.request('/api/v1/profiles/me', {
            method: 'PUT',
            headers: { authorization, 'content-type': 'application/json' },
            // Broken JSON on purpose now and then.
            body: asText ? JSON.stringify(update).slice(0, -1) : JSON.stringify(update),
          });
          expect(res.status).toBeLessThan(500);
          const after = await profileOf(authorization);
          if (res.status !== 200) {
            expect(after).toEqual(before);
            return;
          }
          for (const [field, value] of Object.entries(update)) expect(after[field]).toBe(value.trim());
        },
      ),
      FUZZ_RUNS,
    );
  });

  it('answers hostile text in the Authorization header with 401, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileHeaderValue(), async (value) => {
        const res = await h.app.request('/api/v1/profiles/me', {
          headers: { authorization: `Bearer ${value}` },
        });
        expect(res.status).toBe(401);
      }),
      FUZZ_RUNS,
    );
  });
});
