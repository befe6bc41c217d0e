import { ACR } from '@bff-auth/claims';
import { createDpopTestClient, type DpopTestClient } from '@bff-auth/token-verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { type AdminApiHarness, startAdminApi } from '../test-support';
import { createStepUpRule, STEP_UP_MAX_AGE_SECONDS } from './step-up';

const now = () => Math.floor(Date.now() / 1000);
const STEP_UP_PARAMS = `error="insufficient_user_authentication", error_description="A recent sign-in with the second factor is required", acr_values="${ACR.twoStep}", max_age="600"`;

/** SPEC §12: disable, force logout and role changes need a sign-in with the second factor ≤ 10 minutes old. */
describe('step-up for destructive admin actions', () => {
  let h: AdminApiHarness;
  let client: DpopTestClient;
  beforeAll(async () => {
    // DPoP allowed: Bearer calls work as before, and a DPoP call shows the challenge follows its scheme.
    h = await startAdminApi('step_up', { dpop: 'allowed' });
    client = await createDpopTestClient();
  });
  afterAll(async () => {
    await h?.close();
  });

  const call = async (
    method: string,
    path: string,
    claims: Record<string, unknown>,
    body?: unknown,
    app: { request: AdminApiHarness['app']['request'] } = h.app,
  ) =>
    app.request(`/api/v1/admin${path}`, {
      method,
      headers: {
        authorization: await h.bearer('admin-step', ['admin'], claims),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const fresh = { acr: ACR.twoStep, auth_time: now() - 5 };
  const refusals: Array<[string, Record<string, unknown>]> = [
    ['a sign-in older than 10 minutes', { acr: ACR.twoStep, auth_time: now() - STEP_UP_MAX_AGE_SECONDS - 5 }],
    ['a sign-in with the password alone', { acr: ACR.password, auth_time: now() - 5 }],
    ['an unknown acr', { acr: 'urn:other:acr', auth_time: now() - 5 }],
    ['no acr', { acr: undefined, auth_time: now() - 5 }],
    ['no auth_time', { acr: ACR.twoStep, auth_time: undefined }],
  ];
  const actions: Array<[string, string, string, unknown?]> = [
    ['disable', 'POST', '/disable'],
    ['force logout', 'POST', '/logout'],
    ['a role change', 'PATCH', '', { roles: ['user'] }],
  ];

  for (const [label, method, suffix, body] of actions) {
    for (const [why, claims] of refusals) {
      it(`refuses ${label} for ${why}: 403 step_up_required with the RFC 9470 challenge, audited as denied`, async () => {
        const target = h.upstream.addUser({ email: `${Math.random().toString(36).slice(2)}@step.test` });
        const res = await call(method, `/users/${target.id}${suffix}`, claims, body);
        expect(res.status).toBe(403);
        const answer = await res.json();
        expect(answer.error).toMatchObject({
          code: 'step_up_required',
          details: { acr_values: [ACR.twoStep], max_age: ['600'] },
        });
        expect(res.headers.get('www-authenticate')).toBe(`Bearer ${STEP_UP_PARAMS}`);
        const [entry] = await h.auditEntries({ target: target.id });
        expect(entry).toMatchObject({ outcome: 'denied', errorCode: 'step_up_required', status: 403 });
        expect(h.upstream.users.get(target.id)).toMatchObject({ disabled: false, roles: ['user'] });
      });
    }
    it(`allows ${label} after a fresh sign-in with the second factor`, async () => {
      const target = h.upstream.addUser({
        email: `${Math.random().toString(36).slice(2)}@step.test`,
        roles: ['user', 'admin'],
      });
      const res = await call(method, `/users/${target.id}${suffix}`, fresh, body);
      expect(res.status).toBe(200);
    });
  }

  it('challenges a DPoP request in its own scheme: DPoP error="insufficient_user_authentication" with algs (RFC 9449 §7.1)', async () => {
    const target = h.upstream.addUser({ email: 'dpop@step.test' });
    const url = `http://admin-api.test/api/v1/admin/users/${target.id}/disable`;
    const token = await h.tokens.sign({
      claims: {
        sub: 'admin-step',
        roles: ['admin'],
        client_id: 'admin-web',
        acr: ACR.password,
        auth_time: now() - 5,
        cnf: { jkt: client.jkt },
      },
    });
    const res = await h.app.request(url, {
      method: 'POST',
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await client.proof({ htm: 'POST', htu: url, accessToken: token }),
      },
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('step_up_required');
    expect(res.headers.get('www-authenticate')).toBe(
      `DPoP ${STEP_UP_PARAMS}, algs="ES256 ES384 EdDSA Ed25519 PS256 RS256"`,
    );
    expect(h.upstream.users.get(target.id)).toMatchObject({ disabled: false });
  });

  it('does not ask for a step-up to read, enable, rename or send a password reset', async () => {
    const target = h.upstream.addUser({ email: 'calm@step.test' });
    const stale = { acr: ACR.password, auth_time: now() - 3600 };
    expect((await call('GET', `/users/${target.id}`, stale)).status).toBe(200);
    expect((await call('POST', `/users/${target.id}/enable`, stale)).status).toBe(200);
    expect((await call('PATCH', `/users/${target.id}`, stale, { name: 'Calm' })).status).toBe(200);
  });

  it('with the second factor optional, a fresh password sign-in counts but a stale one does not', async () => {
    const optional = createApp({
      ...h.deps,
      stepUp: createStepUpRule({ twoStepRequired: false }),
    });
    const target = h.upstream.addUser({ email: 'optional@step.test' });
    const stale = await call(
      'POST',
      `/users/${target.id}/logout`,
      { acr: ACR.password, auth_time: now() - 601 },
      undefined,
      optional,
    );
    expect(stale.status).toBe(403);
    const ok = await call(
      'POST',
      `/users/${target.id}/logout`,
      { acr: ACR.password, auth_time: now() - 5 },
      undefined,
      optional,
    );
    expect(ok.status).toBe(200);
  });

  it('refuses a bad maxAgeSeconds up front', () => {
    expect(() => createStepUpRule({ maxAgeSeconds: -1 })).toThrow(/maxAgeSeconds/);
  });
});
