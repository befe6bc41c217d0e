import { createTestRedis, type TestRedis } from '@bff-auth/service-kit/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROFILE_GET_ROUTE } from '../testing/bff-fixture';
import { json, startTestServer, type TestServer } from '../testing/http-server';
import { createUpstreamProxy, type UpstreamProxy } from './upstream-proxy';

const ctx = { accessToken: 'access-token-1', userKey: 'user-1', requestId: 'req-1' };
let t: TestRedis;
let server: TestServer;
let proxy: UpstreamProxy;

function makeProxy(overrides: { readTimeoutMs?: number; halfOpenAfterMs?: number; url?: string } = {}) {
  return createUpstreamProxy({
    redis: t.redis,
    namespace: 'test-web',
    retryBaseDelayMs: 10,
    upstreams: {
      'user-api': {
        url: overrides.url ?? server.url,
        readTimeoutMs: overrides.readTimeoutMs ?? 2000,
        breaker: { halfOpenAfterMs: overrides.halfOpenAfterMs ?? 30_000 },
      },
    },
    routes: {
      'profile.get': { ...PROFILE_GET_ROUTE, fallback: 'cache' },
      'profile.put': {
        method: 'PUT',
        path: '/api/profile',
        upstream: 'user-api',
        upstreamPath: '/api/v1/profiles/me',
      },
      'user.get': {
        method: 'GET',
        path: '/api/users/:id',
        upstream: 'user-api',
        upstreamPath: '/api/v1/users/:id',
        forwardQuery: true,
      },
      'user.post': {
        method: 'POST',
        path: '/api/users/:id/disable',
        upstream: 'user-api',
        upstreamPath: '/api/v1/users/:id/disable',
      },
    },
  });
}

const call = async (
  p: UpstreamProxy,
  request: Request,
  routeId: string,
  params?: Record<string, string>,
  c = ctx,
) => p.forward(p.prepare(request, routeId, params), c);
const get = (path = '/api/profile', headers: Record<string, string> = {}) =>
  new Request(`http://localhost:3002${path}`, { headers });

beforeAll(async () => {
  t = await createTestRedis('bff-upstream');
});
afterAll(async () => {
  await t.cleanup();
});
beforeEach(async () => {
  server = await startTestServer((_r, res) => json(res, 200, { status: 'success', data: { name: 'Ann' } }));
  proxy = makeProxy();
});
afterEach(async () => {
  await proxy.close();
  await server.close();
});

describe('upstream proxy: headers', () => {
  it('forwards only allow-listed request headers, adds the bearer token and the request id', async () => {
    const res = await call(
      proxy,
      get('/api/users/42?page=2', {
        accept: 'application/json',
        'accept-language': 'fr',
        'if-none-match': '"abc"',
        cookie: '__Host-user-session=secret',
        authorization: 'Bearer client-supplied',
        'x-user-id': 'admin',
        'x-forwarded-for': '1.2.3.4',
        'x-forwarded-host': 'evil.com',
        'x-middleware-subrequest': 'middleware',
        host: 'evil.com',
      }),
      'user.get',
      { id: '42' },
    );
    expect(res.status).toBe(200);
    const seen = server.received[0]!;
    expect(seen.url).toBe('/api/v1/users/42?page=2');
    expect(seen.headers.authorization).toBe('Bearer access-token-1');
    expect(seen.headers['x-request-id']).toBe('req-1');
    expect(seen.headers.accept).toBe('application/json');
    expect(seen.headers['accept-language']).toBe('fr');
    expect(seen.headers['if-none-match']).toBe('"abc"');
    expect(seen.headers.host).toBe(`127.0.0.1:${server.port}`);
    for (const name of [
      'cookie',
      'x-user-id',
      'x-forwarded-for',
      'x-forwarded-host',
      'x-middleware-subrequest',
    ]) {
      expect(seen.headers[name]).toBeUndefined();
    }
  });

  it('strips Set-Cookie and hop-by-hop headers from the upstream response', async () => {
    server.handler = (_r, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        etag: '"v1"',
        'set-cookie': 'upstream=1; Path=/',
        'x-powered-by': 'upstream',
        'keep-alive': 'timeout=5',
        'proxy-authenticate': 'Basic',
        'www-authenticate': 'Bearer',
      });
      res.end('{}');
    };
    const res = await call(proxy, get(), 'profile.get');
    expect(res.headers.get('etag')).toBe('"v1"');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toBe('req-1');
    for (const name of [
      'set-cookie',
      'x-powered-by',
      'keep-alive',
      'proxy-authenticate',
      'www-authenticate',
      'connection',
    ]) {
      expect(res.headers.get(name)).toBeNull();
    }
  });
});

describe('upstream proxy: path parameters (SPEC §8)', () => {
  it.each([
    '..',
    '../admin',
    '%2e%2e',
    '%2E%2E%2Fadmin',
    'a%2fb',
    'a%2Fb',
    'a%5cb',
    'a/b',
    'a\\b',
    'http://evil.com',
    'https:evil.com',
    '//evil.com',
    '%252e%252e',
    'a%00b',
    'a\nb',
    '',
  ])('refuses %j with 400 before any upstream call', async (id) => {
    let status = 0;
    let code = '';
    try {
      await call(proxy, get('/api/users/x'), 'user.get', { id });
    } catch (error) {
      status = (error as { status: number }).status;
      code = (error as { code: string }).code;
    }
    expect(status).toBe(400);
    expect(code).toBe('invalid_param');
    expect(server.received).toHaveLength(0);
  });

  it.each([
    ['a NUL', '?q=%00', 400, 'invalid_query'],
    ['a newline', '?q=a%0Ab', 400, 'invalid_query'],
    ['a lone surrogate', '?q=%ED%A0%80', 400, 'invalid_query'],
    ['malformed percent-encoding', '?q=%zz', 400, 'invalid_query'],
    ['a control character in a name', '?%01=1', 400, 'invalid_query'],
    ['5000 characters', `?q=${'a'.repeat(5000)}`, 414, 'uri_too_long'],
  ])('refuses a query with %s before any upstream call', async (_label, query, status, code) => {
    let error: { status?: number; code?: string } = {};
    try {
      await call(proxy, get(`/api/users/1${query}`), 'user.get', { id: '1' });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error).toMatchObject({ status, code });
    expect(server.received).toHaveLength(0);
  });

  it('passes an ordinary query on unchanged', async () => {
    await call(proxy, get('/api/users/1?q=J%C3%BCrgen+M&page=2&x=%26'), 'user.get', { id: '1' });
    expect(server.received[0]!.url).toBe('/api/v1/users/1?q=J%C3%BCrgen+M&page=2&x=%26');
  });

  it('refuses an unknown route with 404 and a wrong method with 405', () => {
    expect(() => proxy.prepare(get(), 'nope')).toThrow(expect.objectContaining({ status: 404 }));
    expect(() =>
      proxy.prepare(new Request('http://localhost/api/profile', { method: 'DELETE' }), 'profile.get'),
    ).toThrow(expect.objectContaining({ status: 405 }));
  });
});

describe('upstream proxy: retries, deadlines, redirects', () => {
  it('retries a GET on 503 at most twice', async () => {
    server.handler = (_r, res) => json(res, 503, { status: 'error' });
    const res = await call(proxy, get('/api/users/1'), 'user.get', { id: '1' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect((await res.json()).error).toMatchObject({ code: 'upstream_unavailable', requestId: 'req-1' });
    expect(server.received).toHaveLength(3);
  });

  it('succeeds when a retry does', async () => {
    let n = 0;
    server.handler = (_r, res) => (++n < 3 ? json(res, 502, {}) : json(res, 200, { ok: true }));
    const res = await call(proxy, get('/api/users/1'), 'user.get', { id: '1' });
    expect(res.status).toBe(200);
    expect(server.received).toHaveLength(3);
  });

  it('never retries a POST or PUT', async () => {
    server.handler = (_r, res) => json(res, 503, {});
    const post = new Request('http://localhost:3002/api/users/1/disable', { method: 'POST', body: '{}' });
    expect((await call(proxy, post, 'user.post', { id: '1' })).status).toBe(503);
    const put = new Request('http://localhost:3002/api/profile', { method: 'PUT', body: '{"name":"B"}' });
    expect((await call(proxy, put, 'profile.put')).status).toBe(503);
    expect(server.received).toHaveLength(2);
    expect(server.received[1]!.body).toBe('{"name":"B"}');
  });

  it('does not retry when Retry-After reaches past the deadline', async () => {
    server.handler = (_r, res) => json(res, 503, {}, { 'retry-after': '30' });
    const res = await call(proxy, get('/api/users/1'), 'user.get', { id: '1' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(server.received).toHaveLength(1);
  });

  it('honours a short Retry-After before retrying', async () => {
    let n = 0;
    server.handler = (_r, res) =>
      ++n === 1 ? json(res, 503, {}, { 'retry-after': '1' }) : json(res, 200, {});
    const started = performance.now();
    const res = await call(proxy, get('/api/users/1'), 'user.get', { id: '1' });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('answers 504 at the deadline when the upstream hangs', async () => {
    await proxy.close();
    proxy = makeProxy({ readTimeoutMs: 300 });
    server.handler = () => new Promise(() => {});
    const started = performance.now();
    const res = await call(proxy, get('/api/users/1'), 'user.get', { id: '1' });
    const elapsed = performance.now() - started;
    console.info(`hung upstream answered 504 after ${elapsed.toFixed(0)} ms (deadline 300 ms)`);
    expect(res.status).toBe(504);
    expect((await res.json()).error.code).toBe('upstream_timeout');
    expect(elapsed).toBeLessThan(5000);
    expect(server.received).toHaveLength(1);
  });

  it('answers 499 when the browser goes away mid-call, cancels the upstream call and keeps the breaker closed', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    server.handler = (_r, res) => {
      res.once('close', upstreamClosed);
      return new Promise(() => {}); // never answers
    };
    const browser = new AbortController();
    for (let i = 0; i < 6; i++) {
      const request = new Request('http://localhost:3002/api/profile', { signal: browser.signal });
      const pending = call(proxy, request, 'profile.get');
      if (i === 0) {
        while (server.received.length === 0) await new Promise((r) => setTimeout(r, 5));
        browser.abort();
        await closed;
      }
      const res = await pending;
      expect(res.status).toBe(499);
      expect((await res.json()).error.code).toBe('client_closed');
    }
    expect(server.received).toHaveLength(1); // already gone: the later calls are never sent
    expect(proxy.breakerState('user-api')).toBe('closed');
  });

  it('does not follow an upstream redirect and answers 502', async () => {
    server.handler = (r, res) => {
      if (r.url === '/elsewhere') return json(res, 200, { leaked: true });
      res.writeHead(302, { location: `${server.url}/elsewhere` });
      res.end();
    };
    const res = await call(proxy, get(), 'profile.get');
    expect(res.status).toBe(502);
    expect(res.headers.get('location')).toBeNull();
    expect(server.received.map((r) => r.url)).toEqual(['/api/v1/profiles/me']);
  });

  it('refuses a request body over the limit with 413 before calling the upstream', async () => {
    const put = new Request('http://localhost:3002/api/profile', {
      method: 'PUT',
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect((await call(proxy, put, 'profile.put')).status).toBe(413);
    expect(server.received).toHaveLength(0);
  });
});

describe('upstream proxy: circuit breaker', () => {
  it('opens after 5 consecutive failures, then answers 503 without calling the upstream', async () => {
    server.handler = (_r, res) => json(res, 500, {});
    const put = () => new Request('http://localhost:3002/api/profile', { method: 'PUT', body: '{}' });
    for (let i = 0; i < 5; i++) expect((await call(proxy, put(), 'profile.put')).status).toBe(500);
    expect(proxy.breakerState('user-api')).toBe('open');
    const timings: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await call(proxy, put(), 'profile.put');
      timings.push(performance.now() - started);
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    timings.sort((a, b) => a - b);
    console.info(
      `open breaker answers: p50 ${timings[10]!.toFixed(3)} ms, max ${timings[19]!.toFixed(3)} ms`,
    );
    expect(timings[10]).toBeLessThan(1000);
    expect(server.received).toHaveLength(5);
  });

  it('lets a trial request through after the half-open interval and closes on success', async () => {
    await proxy.close();
    proxy = makeProxy({ halfOpenAfterMs: 200 });
    server.handler = (_r, res) => json(res, 500, {});
    const put = () => new Request('http://localhost:3002/api/profile', { method: 'PUT', body: '{}' });
    for (let i = 0; i < 5; i++) await call(proxy, put(), 'profile.put');
    expect((await call(proxy, put(), 'profile.put')).status).toBe(503);
    expect(server.received).toHaveLength(5);
    server.handler = (_r, res) => json(res, 200, { ok: true });
    await new Promise((r) => setTimeout(r, 250));
    expect((await call(proxy, put(), 'profile.put')).status).toBe(200);
    expect(proxy.breakerState('user-api')).toBe('closed');
  });
});

describe('upstream proxy: client errors never count for the breaker (SPEC §8)', () => {
  it('keeps the breaker closed through any number of 4xx answers', async () => {
    let n = 0;
    const statuses = [400, 401, 403, 404, 409, 413, 422, 429, 431];
    server.handler = (_r, res) => json(res, statuses[n++ % statuses.length]!, { status: 'error' });
    for (let i = 0; i < statuses.length * 2; i++) {
      const res = await call(proxy, get(`/api/users/${i}`), 'user.get', { id: String(i) });
      expect(res.status).toBe(statuses[i % statuses.length]);
    }
    expect(proxy.breakerState('user-api')).toBe('closed');
    expect(server.received).toHaveLength(statuses.length * 2);
  });

  it('answers hostile searches with 400 and never lets them reach (or open) the upstream', async () => {
    // The upstream as it was: a NUL in the search made it answer 502, retried and counted each time.
    server.handler = (r, res) => (r.url.includes('%00') ? json(res, 502, {}) : json(res, 200, { ok: 1 }));
    for (let i = 0; i < 3; i++) {
      await expect(call(proxy, get('/api/users/1?q=%00'), 'user.get', { id: '1' })).rejects.toMatchObject({
        status: 400,
      });
    }
    expect(proxy.breakerState('user-api')).toBe('closed');
    expect(server.received).toHaveLength(0);
    expect((await call(proxy, get('/api/users/1?q=ann'), 'user.get', { id: '1' })).status).toBe(200);
  });

  it('a 4xx between 5xx answers resets the count of consecutive failures', async () => {
    const put = () => new Request('http://localhost:3002/api/profile', { method: 'PUT', body: '{}' });
    for (let round = 0; round < 3; round++) {
      server.handler = (_r, res) => json(res, 500, {});
      for (let i = 0; i < 4; i++) expect((await call(proxy, put(), 'profile.put')).status).toBe(500);
      server.handler = (_r, res) => json(res, 422, {});
      expect((await call(proxy, put(), 'profile.put')).status).toBe(422);
    }
    expect(proxy.breakerState('user-api')).toBe('closed');
  });
});

describe('upstream proxy: fallback cache', () => {
  it('serves the cached copy marked stale when the upstream hangs past its deadline (SPEC §7)', async () => {
    await proxy.close();
    proxy = makeProxy({ readTimeoutMs: 300 });
    expect((await call(proxy, get(), 'profile.get')).status).toBe(200);
    server.handler = () => new Promise(() => {});
    const res = await call(proxy, get(), 'profile.get');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bff-fallback')).toBe('cache');
    expect(await res.json()).toEqual({ status: 'success', data: { name: 'Ann' } });
    // 504 only when there is no copy.
    const theirs = await call(proxy, get(), 'profile.get', undefined, { ...ctx, userKey: 'user-never-seen' });
    expect(theirs.status).toBe(504);
    expect(theirs.headers.get('x-bff-fallback')).toBeNull();
  });

  it('serves the cached copy when the upstream answers 504', async () => {
    await call(proxy, get(), 'profile.get');
    server.handler = (_r, res) => json(res, 504, {});
    const res = await call(proxy, get(), 'profile.get');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bff-fallback')).toBe('cache');
  });

  it('serves the last good response marked X-BFF-Fallback: cache when the upstream is down', async () => {
    const ok = await call(proxy, get(), 'profile.get');
    expect(await ok.json()).toEqual({ status: 'success', data: { name: 'Ann' } });
    await server.close();
    const res = await call(proxy, get(), 'profile.get');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-bff-fallback')).toBe('cache');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'success', data: { name: 'Ann' } });
    server = await startTestServer();
  });

  it('keeps fallbacks per user: another user gets 503 with Retry-After', async () => {
    await call(proxy, get(), 'profile.get');
    server.handler = (_r, res) => json(res, 503, {});
    const mine = await call(proxy, get(), 'profile.get');
    expect(mine.headers.get('x-bff-fallback')).toBe('cache');
    const theirs = await call(proxy, get(), 'profile.get', undefined, { ...ctx, userKey: 'user-2' });
    expect(theirs.status).toBe(503);
    expect(theirs.headers.get('retry-after')).toBeTruthy();
    expect(theirs.headers.get('x-bff-fallback')).toBeNull();
  });

  it('serves the fallback while the breaker is open', async () => {
    await call(proxy, get(), 'profile.get');
    server.handler = (_r, res) => json(res, 503, {});
    for (let i = 0; i < 2; i++) await call(proxy, get(), 'profile.get');
    expect(proxy.breakerState('user-api')).toBe('open');
    const before = server.received.length;
    const res = await call(proxy, get(), 'profile.get');
    expect(res.headers.get('x-bff-fallback')).toBe('cache');
    expect(server.received.length).toBe(before);
  });
});
