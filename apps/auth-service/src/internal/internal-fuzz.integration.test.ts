import {
  anyMethod,
  hostileHeaderValue,
  hostileQueryValue,
  hostileText,
} from '@bff-auth/token-verifier/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type TestAuthService } from '../testing';

const PASSWORD = 'correct horse';
const CHANGES = new Set(['POST', 'PATCH']);

/**
 * Input fuzzing of the internal user-management API (SPEC §8): arbitrary methods, ids, queries, bodies and
 * acting-admin headers against a real auth service (real database, real Redis). Never a 5xx; refused input
 * changes nothing (users and the audit log as they were, but for the row of a refusal by the admin rules);
 * every change that went through has its audit row under the request's id.
 */
describe('internal API under arbitrary input (fast-check)', () => {
  let auth: TestAuthService;
  let token: string;
  let boss: string;
  let victim: string;

  beforeAll(async () => {
    auth = await startAuthService();
    token = await auth.adminApiToken();
    boss = (await auth.createUser({ email: 'fuzz-boss@example.com', password: PASSWORD, roles: ['admin'] }))
      .id;
    await auth.createUser({ email: 'fuzz-spare@example.com', password: PASSWORD, roles: ['admin'] });
    victim = (await auth.createUser({ email: 'fuzz-victim@example.com', password: PASSWORD })).id;
  });
  afterAll(() => auth?.close());

  const snapshot = async () => ({
    users: (await auth.db.query('SELECT id, email, name, roles, disabled FROM users ORDER BY id')).rows,
    audit: Number((await auth.db.query<{ n: string }>('SELECT count(*) AS n FROM admin_audit')).rows[0]!.n),
    victimDisabled: await auth.redis.redis.get(`user:disabled:${victim}`),
  });
  const auditRows = async (requestId: string) =>
    (await auth.db.query('SELECT outcome, action FROM admin_audit WHERE request_id = $1', [requestId])).rows;

  const routes = (id: string) => [
    '/users',
    `/users/${id}`,
    `/users/${id}/disable`,
    `/users/${id}/enable`,
    `/users/${id}/logout`,
    `/users/${id}/sessions`,
    `/users/${id}/nope`,
  ];

  const body = fc.oneof(
    fc.record(
      {
        email: fc.oneof(hostileText(), fc.emailAddress()),
        name: hostileText(),
        password: fc.oneof(hostileText(), fc.constant(PASSWORD)),
        roles: fc.oneof(fc.subarray(['user', 'admin', 'editor']), fc.array(hostileText(), { maxLength: 3 })),
        extra: hostileText(),
      },
      { requiredKeys: [] },
    ),
    hostileText(),
  );

  let n = 0;
  it('answers a success or a 4xx, changes nothing when it refuses, audits every change', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyMethod(),
        fc.nat({ max: 6 }),
        fc.oneof(fc.constant('victim'), fc.constant('boss'), hostileQueryValue()),
        hostileQueryValue(),
        body,
        fc.oneof(fc.constant('boss'), hostileHeaderValue()),
        async (method, routeIndex, idChoice, query, payload, actorChoice) => {
          const id = idChoice === 'victim' ? victim : idChoice === 'boss' ? boss : idChoice;
          const path = routes(id)[routeIndex]!;
          const requestId = `fuzz-${++n}-${Date.now()}`;
          const before = await snapshot();
          const hasBody = !['GET', 'HEAD'].includes(method);
          const res = await fetch(`${auth.internalUrl}${path}?q=${query}&page=${query}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              'x-request-id': requestId,
              'x-acting-admin': actorChoice === 'boss' ? boss : actorChoice,
              ...(hasBody ? { 'content-type': 'application/json' } : {}),
            },
            ...(hasBody ? { body: JSON.stringify(payload) } : {}),
          });
          await res.arrayBuffer();
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          const after = await snapshot();
          if (res.status >= 400) {
            const refusedByRules = res.status === 409 && after.audit === before.audit + 1;
            expect({ ...after, audit: refusedByRules ? before.audit : after.audit }).toEqual(before);
            if (refusedByRules)
              expect(await auditRows(requestId)).toEqual([expect.objectContaining({ outcome: 'refused' })]);
          } else if (CHANGES.has(method)) {
            expect(await auditRows(requestId)).toEqual([expect.objectContaining({ outcome: 'success' })]);
          }
        },
      ),
      { numRuns: 50 },
    );
  }, 300_000);
});
