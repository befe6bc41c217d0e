import { randomUUID } from 'node:crypto';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import type { JWTPayload } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKCHANNEL_LOGOUT_EVENT } from '../oidc/logout-token';
import { APP_ORIGIN, createTestBff, get, signedInCookie } from '../testing/bff-fixture';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';

// Logout tokens are forged with jose; the fake issuer serves the JWKS from a local HTTP server.
let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;

beforeAll(async () => {
  t = await createTestRedis('bff-bcl');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  api = await startTestServer();
  bff = createTestBff(issuer, t.redis, api.url);
});
afterEach(async () => {
  await bff.close();
  await api.close();
  await issuer.close();
});

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: issuer.issuer,
  aud: 'test-web',
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 120,
  jti: randomUUID(),
  sub: 'user-1',
  sid: randomUUID(),
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  ...overrides,
});

const post = (token: string) =>
  bff.handleBackchannelLogout(
    new Request(`${APP_ORIGIN}/api/auth/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: token }),
    }),
  );

describe('back-channel logout', () => {
  it('revokes the session id of a valid logout token, so that session stops working', async () => {
    const cookie = await signedInCookie(bff, issuer, 'user-1');
    const session = await bff.context.sessions.read(get('/', cookie));
    const res = await post(await issuer.sign(claims({ sid: session!.data.sid }), { typ: 'logout+jwt' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const after = await bff.handleProxy(get('/api/profile', cookie), 'profile.get');
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe('session_revoked');
  });

  it('ends every session of the user when the token carries only sub', async () => {
    const cookie = await signedInCookie(bff, issuer, 'user-2');
    const { sid: _sid, ...rest } = claims({ sub: 'user-2' });
    expect((await post(await issuer.sign(rest))).status).toBe(200);
    expect((await bff.handleProxy(get('/api/profile', cookie), 'profile.get')).status).toBe(401);
  });

  it.each([
    ['a bad signature', async () => issuer.signWithForeignKey(claims())],
    ['a wrong audience', async () => issuer.sign(claims({ aud: 'other-client' }))],
    ['a wrong issuer', async () => issuer.sign(claims({ iss: 'http://evil.example' }))],
    ['no events claim', async () => issuer.sign(claims({ events: undefined }))],
    ['the wrong event', async () => issuer.sign(claims({ events: { 'http://example.com/other': {} } }))],
    ['a nonce', async () => issuer.sign(claims({ nonce: 'n' }))],
    ['neither sid nor sub', async () => issuer.sign(claims({ sid: undefined, sub: undefined }))],
    ['a sid but no sub', async () => issuer.sign(claims({ sub: undefined }))],
    ['no jti', async () => issuer.sign(claims({ jti: undefined }))],
    ['an old iat', async () => issuer.sign(claims({ iat: Math.floor(Date.now() / 1000) - 3600 }))],
    ['garbage', async () => 'not-a-jwt'],
  ])('refuses a logout token with %s (400)', async (_name, make) => {
    const res = await post(await make());
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_logout_token');
  });

  it('refuses a replayed jti (400)', async () => {
    const token = await issuer.sign(claims());
    expect((await post(token)).status).toBe(200);
    const replay = await post(token);
    expect(replay.status).toBe(400);
    expect((await replay.json()).error.message).toMatch(/replayed/);
  });

  it('refuses a request without logout_token (400)', async () => {
    const res = await bff.handleBackchannelLogout(
      new Request(`${APP_ORIGIN}/api/auth/backchannel-logout`, { method: 'POST', body: '' }),
    );
    expect(res.status).toBe(400);
  });

  it('refuses a body over 64 KB with 413, declared or streamed, and never reads past the limit', async () => {
    const big = `logout_token=${'a'.repeat(64 * 1024)}`;
    const declared = await bff.handleBackchannelLogout(
      new Request(`${APP_ORIGIN}/api/auth/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: big,
      }),
    );
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('payload_too_large');

    // No Content-Length: a stream that would go on for 100 MB. Only the first chunks are ever pulled.
    let pulled = 0;
    const chunk = new TextEncoder().encode('a'.repeat(16 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 100 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = await bff.handleBackchannelLogout(
      new Request(`${APP_ORIGIN}/api/auth/backchannel-logout`, {
        method: 'POST',
        body: endless,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(256 * 1024);
  });

  it('still accepts a valid logout token just under the limit', async () => {
    const token = await issuer.sign(claims());
    const res = await bff.handleBackchannelLogout(
      new Request(`${APP_ORIGIN}/api/auth/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `logout_token=${token}&pad=${'x'.repeat(60 * 1024)}`,
      }),
    );
    expect(res.status).toBe(200);
  });
});
