import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestBff, get, signedInCookie } from '../testing/bff-fixture';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';

let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;

beforeAll(async () => {
  t = await createTestRedis('bff-events');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  api = await startTestServer();
  bff = createTestBff(issuer, t.redis, api.url, { eventsHeartbeatMs: 100, eventsRecheckMs: 100 });
  await bff.context.events.ready();
});
afterEach(async () => {
  await bff.close();
  await api.close();
  await issuer.close();
});

async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  needle: string,
  timeoutMs = 3000,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!text.includes(needle)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${needle}; got ${text}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  return text;
}

describe('server-sent events', () => {
  it('streams text/event-stream with heartbeats and pushes only events of this session, then ends after session-revoked', async () => {
    const cookie = await signedInCookie(bff, issuer, 'user-sse');
    const session = await bff.context.sessions.read(get('/', cookie));
    const abort = new AbortController();
    const res = await bff.handleEvents(
      new Request('http://localhost:3002/api/auth/events', { headers: { cookie }, signal: abort.signal }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    await readUntil(reader, ': heartbeat');
    await bff.context.revocation.publish({ type: 'roles-changed', userId: 'someone-else' });
    await bff.context.revocation.publish({ type: 'logout', userId: 'user-sse', sid: 'another-session' });
    await bff.context.revocation.publish({ type: 'roles-changed', userId: 'user-sse' });
    expect(await readUntil(reader, 'event: roles-changed')).not.toContain('another-session');
    await bff.context.revocation.publish({
      type: 'session-revoked',
      userId: 'user-sse',
      sid: session!.data.sid!,
    });
    const text = await readUntil(reader, 'event: session-revoked');
    expect(text).toContain('data: {"type":"session-revoked"');
    expect((await reader.read()).done).toBe(true);
    abort.abort();
  });

  it('closes the stream and unsubscribes when the browser goes away', async () => {
    const cookie = await signedInCookie(bff, issuer, 'user-gone');
    const abort = new AbortController();
    const res = await bff.handleEvents(
      new Request('http://localhost:3002/api/auth/events', { headers: { cookie }, signal: abort.signal }),
    );
    const reader = res.body!.getReader();
    await readUntil(reader, ': connected');
    expect(bff.context.events.listeners).toBe(1);
    abort.abort();
    expect((await reader.read()).done).toBe(true);
    expect(bff.context.events.listeners).toBe(0);
  });

  it("ends a revoked session's stream even when the pub/sub message is lost", async () => {
    const cookie = await signedInCookie(bff, issuer, 'user-lost-message');
    const session = await bff.context.sessions.read(get('/', cookie));
    const res = await bff.handleEvents(
      new Request('http://localhost:3002/api/auth/events', { headers: { cookie } }),
    );
    const reader = res.body!.getReader();
    await readUntil(reader, ': connected');
    // The key is written, the message never sent (as when pub/sub drops it).
    await bff.context.revocation.revokeSession(session!.data.uid, session!.data.sid!);
    expect(await readUntil(reader, 'event: session-revoked')).toContain('"type":"session-revoked"');
    expect((await reader.read()).done).toBe(true);
    expect(bff.context.streams.size).toBe(0);
    expect(bff.context.events.listeners).toBe(0);
  });

  it('caps the open streams of one session (429 beyond), frees a place when one closes, leaves other sessions alone', async () => {
    const cookie = await signedInCookie(bff, issuer, 'user-many-tabs');
    const open = () => {
      const abort = new AbortController();
      const response = bff.handleEvents(
        new Request('http://localhost:3002/api/auth/events', { headers: { cookie }, signal: abort.signal }),
      );
      return { abort, response };
    };
    const tabs = Array.from({ length: 6 }, open);
    for (const tab of tabs) expect((await tab.response).status).toBe(200);
    const seventh = await open().response;
    expect(seventh.status).toBe(429);
    expect(seventh.headers.get('retry-after')).toBeTruthy();
    expect((await seventh.json()).error.code).toBe('too_many_streams');
    expect(bff.context.streams.size).toBe(6);
    expect(bff.context.events.listeners).toBe(6);

    const other = await signedInCookie(bff, issuer, 'user-other-session');
    const theirs = await bff.handleEvents(
      new Request('http://localhost:3002/api/auth/events', { headers: { cookie: other } }),
    );
    expect(theirs.status).toBe(200);
    await theirs.body!.cancel();

    tabs[0]!.abort.abort();
    await expect.poll(() => bff.context.streams.size).toBe(6 - 1);
    const again = open();
    expect((await again.response).status).toBe(200);
    for (const tab of [...tabs, again]) tab.abort.abort();
    await expect.poll(() => bff.context.streams.size).toBe(0);
    expect(bff.context.events.listeners).toBe(0);
  });

  it('answers 401 without a session', async () => {
    const res = await bff.handleEvents(get('/api/auth/events'));
    expect(res.status).toBe(401);
  });
});
