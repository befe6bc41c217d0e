import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestServer, type TestServer } from '../testing/http-server';
import { createUpstreamProxy, type UpstreamProxy } from './upstream-proxy';

// Issue #11: per-request contexts stayed reachable through the deadline timer of every proxied call
// (FinalizationRegistry → Timeout → the request's async context) until the deadline passed.
const gc = (globalThis as { gc?: () => void }).gc;

let server: TestServer;
let proxy: UpstreamProxy;
const context = new AsyncLocalStorage<{ request: object }>();

beforeAll(async () => {
  server = await startTestServer((_r, res) => json(res, 200, { ok: true }));
  proxy = createUpstreamProxy({
    // A long deadline, as in production: the call ends long before it.
    upstreams: { api: { url: server.url, readTimeoutMs: 60_000 } },
    routes: { get: { method: 'GET', path: '/x', upstream: 'api', upstreamPath: '/x' } },
  });
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

/** Runs one proxied GET inside its own async context; returns a weak handle on that context. */
async function oneRequest(): Promise<WeakRef<object>> {
  const perRequest = { request: { payload: new Uint8Array(64 * 1024) } };
  const ref = new WeakRef(perRequest.request);
  await context.run(perRequest, async () => {
    const request = new Request('http://localhost/x');
    const res = await proxy.forward(proxy.prepare(request, 'get'), {
      accessToken: 't',
      userKey: 'u',
      requestId: 'r',
    });
    await res.arrayBuffer();
  });
  return ref;
}

/**
 * How many are gone after ONE full collection. One, not "collect until it settles": a context held
 * through a FinalizationRegistry (AbortSignal.timeout's) is only let go a collection or more later,
 * and under load that is exactly what piles up.
 */
async function collectedAfterOneGc(refs: WeakRef<object>[]): Promise<number> {
  await new Promise((r) => setImmediate(r));
  gc!();
  return refs.filter((r) => r.deref() === undefined).length;
}

describe('upstream proxy: memory (issue #11)', () => {
  it('runs with --expose-gc', () => {
    expect(typeof gc).toBe('function');
  });

  it('leaves nothing of a finished request reachable (its async context becomes collectable)', async () => {
    // The pool's keep-alive sockets remember the context they were opened in: open them first.
    for (let i = 0; i < 3; i++)
      await (
        await proxy.forward(proxy.prepare(new Request('http://localhost/x'), 'get'), {
          accessToken: 't',
          userKey: 'u',
          requestId: 'r',
        })
      ).arrayBuffer();
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 20; i++) refs.push(await oneRequest());
    expect(await collectedAfterOneGc(refs)).toBe(refs.length);
  });
});
