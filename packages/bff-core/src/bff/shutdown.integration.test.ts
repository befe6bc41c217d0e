import { createRedis } from '@bff-auth/service-kit/redis';
import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestBff, get, signedInCookie } from '../testing/bff-fixture';
import { type FakeIssuer, startFakeIssuer } from '../testing/fake-issuer';
import { startTestServer, type TestServer } from '../testing/http-server';
import type { Bff } from './create-bff';
import { DRAIN_RETRY_JITTER_MS, DRAIN_RETRY_MS } from './shutdown';

let t: TestRedis;
let issuer: FakeIssuer;
let api: TestServer;
let bff: Bff;
let issuerClosed: boolean;

beforeAll(async () => {
  t = await createTestRedis('bff-shutdown');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  issuer = await startFakeIssuer({ clientId: 'test-web', clientSecret: 'secret' });
  issuerClosed = false;
  api = await startTestServer();
  bff = createTestBff(issuer, t.redis, api.url, { eventsHeartbeatMs: 60_000 });
  await bff.context.events.ready();
});
afterEach(async () => {
  await bff.close();
  await api.close();
  if (!issuerClosed) await issuer.close();
});

/** Reads the stream to its end (or fails after `timeoutMs`). */
async function readToEnd(body: ReadableStream<Uint8Array>, timeoutMs = 3000): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stream still open; got ${text}`)), deadline - Date.now());
    });
    const { value, done } = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
    if (done) return text;
    text += decoder.decode(value);
  }
}

const retryHints = (text: string) => [...text.matchAll(/^retry: (\d+)$/gm)].map((m) => Number(m[1]));

async function openStream(cookie: string) {
  const res = await bff.handleEvents(
    new Request('http://localhost:3002/api/auth/events', { headers: { cookie } }),
  );
  expect(res.status).toBe(200);
  return res;
}

describe('BFF drain (SPEC §7)', () => {
  it('ends every open event stream with a retry hint when draining', async () => {
    const cookies = await Promise.all(['drain-a', 'drain-b'].map((u) => signedInCookie(bff, issuer, u)));
    const streams = await Promise.all(cookies.map(openStream));
    expect(bff.context.shutdown.openStreams).toBe(2);

    bff.drain();

    for (const res of streams) {
      const text = await readToEnd(res.body!);
      expect(text).toContain(': connected');
      const [, drainHint] = retryHints(text);
      expect(drainHint).toBeGreaterThanOrEqual(DRAIN_RETRY_MS);
      expect(drainHint).toBeLessThan(DRAIN_RETRY_MS + DRAIN_RETRY_JITTER_MS);
    }
    expect(bff.context.shutdown.openStreams).toBe(0);
  });

  it('tells a stream opened while draining to reconnect elsewhere and ends it at once', async () => {
    const cookie = await signedInCookie(bff, issuer, 'drain-late');
    bff.drain();
    const text = await readToEnd((await openStream(cookie)).body!);
    expect(retryHints(text)).toHaveLength(2);
    expect(bff.context.shutdown.openStreams).toBe(0);
  });

  it('forgets a stream the browser closed', async () => {
    const cookie = await signedInCookie(bff, issuer, 'drain-gone');
    const abort = new AbortController();
    const res = await bff.handleEvents(
      new Request('http://localhost:3002/api/auth/events', { headers: { cookie }, signal: abort.signal }),
    );
    expect(bff.context.shutdown.openStreams).toBe(1);
    abort.abort();
    await res.body!.cancel();
    expect(bff.context.shutdown.openStreams).toBe(0);
  });
});

describe('GET /api/ready', () => {
  it('is ready when Redis and the provider answer, and answers 503 draining from the drain on', async () => {
    const ready = await bff.handleReady(get('/api/ready', undefined, { 'x-request-id': 'ready-1' }));
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(ready.headers.get('x-request-id')).toBe('ready-1');
    expect(await ready.json()).toEqual({ status: 'success', data: { redis: 'ok', provider: 'ok' } });

    bff.drain();
    const draining = await bff.handleReady(get('/api/ready'));
    expect(draining.status).toBe(503);
    expect((await draining.json()).error.code).toBe('draining');
  });

  it('is ready on the first probe of a fresh instance, whose Redis connection is still opening', async () => {
    // A fail-fast connection (no offline queue), as the apps use, created just now: not connected yet.
    const redis = createRedis({ url: t.url, keyPrefix: t.prefix });
    const fresh = createTestBff(issuer, redis, api.url);
    try {
      expect(redis.status).not.toBe('ready');
      // The instance's own lasting listeners (the fallback cache forgets its memo on every reconnect).
      const lasting = redis.listenerCount('ready');
      const res = await fresh.handleReady(get('/api/ready'));
      expect(await res.json()).toEqual({ status: 'success', data: { redis: 'ok', provider: 'ok' } });
      expect(res.status).toBe(200);
      // The probe's wait for the connection left no listener behind.
      expect(redis.listenerCount('ready')).toBe(lasting);
    } finally {
      await fresh.close();
      redis.disconnect();
    }
  });

  it('answers 503 not_ready naming the provider when its discovery cannot be fetched', async () => {
    await issuer.close();
    issuerClosed = true;
    const res = await bff.handleReady(get('/api/ready'));
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('not_ready');
    expect(body.error.details).toEqual({ redis: 'ok', provider: 'unreachable' });
  });
});
