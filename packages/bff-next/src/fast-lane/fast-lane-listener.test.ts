import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { compileRoutes } from '@bff-auth/bff-core/upstream';
import { createServiceMetrics } from '@bff-auth/service-kit/telemetry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiResponseHeaders, NON_PAGE_CSP } from '../security-headers';
import type { AppBff } from '../server/app-bff';
import { AUTH_ENDPOINTS } from '../server/auth-endpoints';
import { createFastLaneListener } from './fast-lane-listener';

const ORIGIN = 'http://localhost:3002';
const routes = compileRoutes(
  {
    'profile.get': { method: 'GET', path: '/api/profile', upstream: 'api', upstreamPath: '/me' },
    'profile.update': { method: 'PUT', path: '/api/profile', upstream: 'api', upstreamPath: '/me' },
    'users.get': { method: 'GET', path: '/api/users/:id', upstream: 'api', upstreamPath: '/users/:id' },
  },
  new Set(['api']),
);

interface Call {
  handler: string;
  url: string;
  method: string;
  routeId?: string;
  params?: unknown;
  signal: AbortSignal;
}
const calls: Call[] = [];
let answer: (request: Request) => Response | Promise<Response> = () =>
  Response.json({ status: 'success', data: {} }, { headers: { 'X-Request-ID': 'rid-1' } });

/** Stands in for bff-core: records what the fast lane hands each handler and answers `answer`. */
function fakeBff() {
  const handler =
    (name: string) =>
    async (request: Request, routeId?: string, params?: unknown): Promise<Response> => {
      calls.push({
        handler: name,
        url: request.url,
        method: request.method,
        signal: request.signal,
        ...(routeId ? { routeId, params } : {}),
      });
      return answer(request);
    };
  return {
    context: { config: { appOrigin: ORIGIN }, logger: { warn() {}, error() {} }, proxy: { routes } },
    handleProxy: handler('proxy'),
    handleLogin: handler('login'),
    handleCallback: handler('callback'),
    handleLogout: handler('logout'),
    handleSession: handler('session'),
    handleBackchannelLogout: handler('backchannel-logout'),
    handleEvents: handler('events'),
  };
}

const metrics = createServiceMetrics({ service: 'user-web' });
const bff = fakeBff();
const appBff: AppBff = Object.assign(() => bff as never, {
  telemetry: () => ({ metrics, metricsToken: undefined }),
  definition: {
    app: 'user' as const,
    clientId: 'user-web',
    proxy: () => ({ upstreams: {}, routes: {} }),
    // An app's own answer in place of an endpoint's (admin-web does this for the callback).
    authResponses: {
      login: async (response: Response) =>
        new Response(null, { status: 303, headers: { Location: `/hooked?was=${response.status}` } }),
    },
  },
});
const toNext: string[] = [];
const nextHandler = (req: IncomingMessage, res: ServerResponse) => {
  toNext.push(`${req.method} ${req.url}`);
  req.resume();
  res.setHeader('Content-Type', 'text/plain');
  res.end('from next');
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer(createFastLaneListener({ appBff, next: nextHandler, serviceName: 'user-web' }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  calls.length = 0;
  toNext.length = 0;
  answer = () => Response.json({ status: 'success', data: {} }, { headers: { 'X-Request-ID': 'rid-1' } });
});

/** Sends raw bytes on one connection and collects what comes back until it has `responses` answers. */
function raw(text: string, responses: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if ((data.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= responses && data.endsWith('}')) {
        socket.end();
        resolve(data);
      }
    });
    socket.on('error', reject);
  });
}

describe('fast lane listener', () => {
  it('answers a declared proxy route through bff-core with the route id and the security headers of next.config', async () => {
    const response = await fetch(`${base}/api/profile?ignored=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'success', data: {} });
    expect(calls).toMatchObject([{ handler: 'proxy', routeId: 'profile.get', method: 'GET', params: {} }]);
    for (const { key, value } of apiResponseHeaders()) expect(response.headers.get(key)).toBe(value);
    expect(response.headers.get('content-security-policy')).toBe(NON_PAGE_CSP);
    expect(response.headers.get('x-request-id')).toBe('rid-1');
    expect(toNext).toEqual([]);
  });

  it('builds the request URL on the configured origin, never the Host header', async () => {
    await fetch(`${base}/api/profile?x=1`, { headers: { host: 'evil.example' } });
    expect(calls[0]!.url).toBe(`${ORIGIN}/api/profile?x=1`);
  });

  it('hands path parameters over raw, as matched, for bff-core to validate', async () => {
    await fetch(`${base}/api/users/u-1`);
    await fetch(`${base}/api/users/a%2F..%2Fb`);
    expect(calls.map((c) => [c.routeId, c.params])).toEqual([
      ['users.get', { id: 'u-1' }],
      ['users.get', { id: 'a%2F..%2Fb' }],
    ]);
  });

  it('serves every auth endpoint at its declared path and method', async () => {
    for (const endpoint of Object.values(AUTH_ENDPOINTS)) {
      const response = await fetch(`${base}${endpoint.path}`, {
        method: endpoint.method,
        redirect: 'manual',
      });
      await response.arrayBuffer();
    }
    expect(calls.map((c) => `${c.method} ${new URL(c.url).pathname} ${c.handler}`)).toEqual([
      'GET /api/auth/login login',
      'GET /api/auth/callback callback',
      'POST /api/auth/logout logout',
      'GET /api/auth/session session',
      'POST /api/auth/backchannel-logout backchannel-logout',
      'GET /api/auth/events events',
    ]);
    expect(toNext).toEqual([]);
  });

  it("applies the app's authResponses hook to the endpoint's answer, as the Next route handler does", async () => {
    const response = await fetch(`${base}/api/auth/login`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/hooked?was=200');
  });

  it('leaves everything else to Next: other methods on declared paths, other spellings, pages, other routes', async () => {
    for (const [method, path] of [
      ['DELETE', '/api/profile'],
      ['HEAD', '/api/profile'],
      ['GET', '/api/profile/'],
      ['GET', '/API/profile'],
      ['GET', '/api/users/a/b'],
      ['POST', '/api/auth/session'],
      ['GET', '/api/health'],
      ['GET', '/profile'],
      ['GET', '/'],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method });
      await response.arrayBuffer();
    }
    expect(calls).toEqual([]);
    expect(toNext).toEqual([
      'DELETE /api/profile',
      'HEAD /api/profile',
      'GET /api/profile/',
      'GET /API/profile',
      'GET /api/users/a/b',
      'POST /api/auth/session',
      'GET /api/health',
      'GET /profile',
      'GET /',
    ]);
  });

  it("keeps the handler's own headers over the defaults, and one Set-Cookie line per cookie", async () => {
    answer = () => {
      const headers = new Headers({
        'Content-Security-Policy': "default-src 'none'",
        'Content-Type': 'text/html',
      });
      headers.append('Set-Cookie', 'a=1; Path=/; HttpOnly');
      headers.append('Set-Cookie', 'b=2; Path=/; HttpOnly');
      return new Response('<p>hop</p>', { status: 200, headers });
    };
    const response = await fetch(`${base}/api/auth/callback`);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
    expect(await response.text()).toBe('<p>hop</p>');
  });

  it('passes a request body on, and keeps the connection usable after an answer that never read the body', async () => {
    answer = async (request) => Response.json({ got: await request.text() });
    const echoed = await fetch(`${base}/api/profile`, { method: 'PUT', body: '{"name":"A"}' });
    expect(await echoed.json()).toEqual({ got: '{"name":"A"}' });

    // A refusal (CSRF, say) that does not read the body; the next request on the same connection is answered.
    answer = () => Response.json({ status: 'error' }, { status: 403 });
    const body = 'x'.repeat(20_000);
    const text = await raw(
      `PUT /api/profile HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
        'GET /api/profile HTTP/1.1\r\nHost: localhost\r\n\r\n',
      2,
    );
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 403', 'HTTP/1.1 403']);
  });

  it('streams an event stream and aborts the request signal when the browser goes away', async () => {
    let push: ((text: string) => void) | undefined;
    answer = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            push = (text) => controller.enqueue(new TextEncoder().encode(text));
          },
        }),
        { headers: { 'Content-Type': 'text/event-stream' } },
      );
    const browser = new AbortController();
    const response = await fetch(`${base}/api/auth/events`, { signal: browser.signal });
    const reader = response.body!.getReader();
    push!('data: one\n\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    const signal = calls[0]!.signal;
    expect(signal.aborted).toBe(false);
    browser.abort();
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve());
    });
    expect(signal.aborted).toBe(true);
  });

  it('answers a handler that throws with the error envelope (500 internal_error), revealing nothing', async () => {
    answer = () => {
      throw new Error('secret detail');
    };
    const response = await fetch(`${base}/api/profile`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ status: 'error', error: { code: 'internal_error' } });
    expect(body).not.toContain('secret');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records http_request_duration_seconds under the route id and the auth endpoint path, as in Next', async () => {
    await (await fetch(`${base}/api/users/u-2`)).arrayBuffer();
    await (await fetch(`${base}/api/auth/session`)).arrayBuffer();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="users\.get",status="200"\} \d+/);
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/auth\/session",status="200"\} \d+/,
    );
  });
});
