import { createCaptureLogger, createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ForcedSignOutReason } from '../observe/bff-observer';
import { createTestBff, get, signedInCookie } from '../testing/bff-fixture';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { json, startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';

// SPEC §11 / issue #10 item 6: what an operator needs in the BFF's logs, and nothing secret.
let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;
let logs: string[];
let forced: ForcedSignOutReason[];

beforeAll(async () => {
  t = await createTestRedis('bff-oplogs');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  api = await startTestServer((_r, res) => json(res, 503, { status: 'error' }));
  const captured = createCaptureLogger('user-web');
  logs = captured.logs;
  forced = [];
  bff = createTestBff(issuer, t.redis, api.url, {
    logger: captured.logger,
    observer: { forcedSignOut: (reason) => forced.push(reason) },
  });
});
afterEach(async () => {
  await bff.close();
  await api.close();
  await issuer.close();
});

const lines = () => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('operator logs', () => {
  it('logs an answered 5xx with its request id and status, and no token or cookie', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const res = await bff.handleProxy(
      get('/api/profile', cookie, { 'x-request-id': 'req-5xx-1' }),
      'profile.get',
    );
    expect(res.status).toBe(503);
    expect(lines()).toContainEqual(
      expect.objectContaining({
        level: 50,
        requestId: 'req-5xx-1',
        status: 503,
        msg: 'bff-core: answered with a server error',
      }),
    );
    const all = logs.join('\n');
    expect(all).not.toContain('eyJ');
    expect(all).not.toContain('Fe26');
  });

  it('logs and reports a forced sign-out with the request id and reason', async () => {
    const cookie = await signedInCookie(bff, issuer);
    const session = await bff.context.sessions.read(get('/', cookie));
    await bff.context.revocation.revokeSession(session!.data.uid, session!.data.sid!);
    const res = await bff.handleProxy(
      get('/api/profile', cookie, { 'x-request-id': 'req-revoked-1' }),
      'profile.get',
    );
    expect(res.status).toBe(401);
    expect(forced).toEqual(['session_revoked']);
    expect(lines()).toContainEqual(
      expect.objectContaining({ level: 40, requestId: 'req-revoked-1', reason: 'session_revoked' }),
    );
    expect(logs.join('\n')).not.toContain('eyJ');
  });
});
