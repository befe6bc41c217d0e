import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listen, type StartedServer } from '@bff-auth/service-kit/http';
import { createServiceMetrics, observeRequests } from '@bff-auth/service-kit/telemetry';
import { createTestRedis, freePort, type TestRedis } from '@bff-auth/service-kit/testing';
import { startTracing, type Tracing } from '@bff-auth/service-kit/tracing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, PROFILE_GET_ROUTE, TEST_PASSWORDS } from '../testing/bff-fixture';
import { type ReceivedSpan, startOtlpReceiver } from '../testing/otlp-receiver';
import { sessionCookieOf, signInAtProvider } from '../testing/provider-sign-in';
import { type Bff, createBff } from './create-bff';

// One trace across three real processes: this test process is the BFF (bff-core handlers behind a real
// HTTP server, tracing started as a BFF app starts it); auth-service and user-api run their own main.ts
// as child processes, all exporting OTLP/HTTP JSON to a real receiver. Starting the children (embedded
// PGlite, migrations) takes seconds to minutes on a loaded machine, hence the generous deadlines.
const APPS = fileURLToPath(new URL('../../../../apps/', import.meta.url));
const PASSWORD = 'demo-user-password-for-traces';
const METRICS_TOKEN = 'trace-test-metrics-token-0123456789';
const BROWSER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BROWSER_SPAN = '00f067aa0ba902b7';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let redis: TestRedis;
let dataDir: string;
let tracing: Tracing;
let bff: Bff;
let bffServer: StartedServer;
const children: ChildProcess[] = [];
let authUrl: string;
let apiUrl: string;

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = env;
  return rest;
}

function startService(app: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(APPS, app),
    // The embedded database under DATA_DIR, never a shared DATABASE_URL the runner may have set.
    env: { ...withoutDatabaseUrl(process.env), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 240_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = (url: string) => async () => ((await fetch(`${url}/health`)).ok ? true : undefined);

/** Drives the sign-in like a browser: login → provider form → POST credentials → callback. */
async function signIn(): Promise<string> {
  const { callback } = await signInAtProvider(bff, {
    providerUrl: authUrl,
    email: 'user@example.com',
    password: PASSWORD,
  });
  return sessionCookieOf(callback);
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  redis = await createTestRedis('traces');
  dataDir = mkdtempSync(join(tmpdir(), 'bff-traces-'));
  const [authPort, apiPort] = [await freePort(), await freePort()];
  authUrl = `http://127.0.0.1:${authPort}`;
  apiUrl = `http://127.0.0.1:${apiPort}`;
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    DATA_DIR: dataDir,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    METRICS_TOKEN,
  };
  startService('auth-service', {
    ...common,
    PORT: String(authPort),
    AUTH_ISSUER: authUrl,
    USER_WEB_URL: APP_ORIGIN,
    USER_WEB_CLIENT_SECRET: 'trace-test-user-web-secret',
    SEED_DEMO_USERS: 'true',
    DEMO_USER_PASSWORD: PASSWORD,
    DEMO_ADMIN_PASSWORD: PASSWORD,
  });
  startService('user-api', { ...common, PORT: String(apiPort), AUTH_ISSUER: authUrl });
  await waitUntil('auth-service', healthy(authUrl));
  await waitUntil('user-api', healthy(apiUrl));

  tracing = startTracing({ serviceName: 'user-web', endpoint: receiver.url, protocol: 'http/json' });
  bff = createBff({
    appOrigin: APP_ORIGIN,
    issuer: authUrl,
    clientId: 'user-web',
    clientSecret: 'trace-test-user-web-secret',
    scope: 'openid email profile roles',
    session: { passwords: TEST_PASSWORDS },
    redis: redis.redis,
    // Every request refreshes (the access token always counts as about to expire), to trace a refresh.
    refresh: { skewSeconds: 100_000 },
    upstreams: { 'user-api': { url: apiUrl } },
    routes: {
      'profile.get': PROFILE_GET_ROUTE,
    },
  });
  const metrics = createServiceMetrics({ service: 'user-web' });
  const app = new Hono();
  app.use(observeRequests({ httpDuration: metrics.httpDuration, tracer: tracing.tracer }));
  app.get('/api/profile', (c) => bff.handleProxy(c.req.raw, 'profile.get'));
  bffServer = await listen(app, { port: 0 });
}, 400_000);

afterAll(async () => {
  await bffServer?.close();
  await bff?.close();
  await tracing?.shutdown();
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
  );
  await receiver?.close();
  await redis?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('one trace from the browser through the BFF to user-api and the auth service', () => {
  it('links the BFF spans, the refresh at the provider and the API call under the browser traceparent', async () => {
    const cookie = await signIn();
    // node:http, not fetch: this process's undici instrumentation would add its own traceparent to a
    // fetch, and the browser's request is not instrumented.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpGet(
        `${bffServer.url}/api/profile`,
        { headers: { cookie, traceparent: `00-${BROWSER_TRACE}-${BROWSER_SPAN}-01` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      ).on('error', reject);
    });
    expect(status).toBe(200);
    await tracing.shutdown(); // flushes the BFF's spans; the children flush on their batch delay

    const inTrace = () => receiver.spans.filter((s) => s.traceId === BROWSER_TRACE);
    const find = (service: string, predicate: (s: ReceivedSpan) => boolean) =>
      inTrace().find((s) => s.service === service && predicate(s));
    const spans = await waitUntil(
      'spans of all three services',
      async () => {
        const api = find('user-api', (s) => s.name === 'GET /api/v1/profiles/me');
        const token = find('auth-service', (s) => s.name === 'POST /token');
        return api && token ? inTrace() : undefined;
      },
      30_000,
    ).catch((error: Error) => {
      // Name what did arrive, to show which link is missing.
      const seen = receiver.spans.map(
        (s) => `${s.service} ${s.name} ${s.traceId} ${s.spanId}<-${s.parentSpanId}`,
      );
      throw new Error(`${error.message}; received:\n${seen.join('\n')}`);
    });
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestors = (span: ReceivedSpan) => {
      const chain: ReceivedSpan[] = [];
      for (let p = byId.get(span.parentSpanId); p; p = byId.get(p.parentSpanId)) chain.push(p);
      return chain;
    };

    const server = find('user-web', (s) => s.name === 'GET /api/profile')!;
    expect(server.parentSpanId).toBe(BROWSER_SPAN);
    for (const name of ['bff.session.read', 'bff.revocation.check', 'bff.refresh', 'bff.upstream.attempt']) {
      const span = find('user-web', (s) => s.name === name);
      expect(span, name).toBeDefined();
      expect(ancestors(span!)).toContain(server);
    }
    expect(find('user-web', (s) => s.name === 'bff.refresh')!.attributes['bff.refresh.outcome']).toBe(
      'refreshed',
    );

    // BFF → API: user-api's server span hangs under the BFF's upstream attempt.
    const api = find('user-api', (s) => s.name === 'GET /api/v1/profiles/me')!;
    const apiChain = ancestors(api).map((s) => `${s.service}:${s.name}`);
    expect(apiChain).toContain('user-web:bff.upstream.attempt');
    expect(apiChain.at(-1)).toBe('user-web:GET /api/profile');
    // BFF → auth-service: the token endpoint's server span hangs under the BFF's refresh.
    const token = find('auth-service', (s) => s.name === 'POST /token')!;
    const tokenChain = ancestors(token).map((s) => `${s.service}:${s.name}`);
    expect(tokenChain).toContain('user-web:bff.refresh');
    expect(tokenChain.at(-1)).toBe('user-web:GET /api/profile');
  }, 120_000);

  it('serves each child service’s metrics only with the token', async () => {
    for (const url of [authUrl, apiUrl]) {
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const scrape = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('http_request_duration_seconds_bucket');
    }
    const auth = await (
      await fetch(`${authUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(auth).toMatch(/^auth_signing_key_age_seconds\{service="auth-service"\} \d/m);
    expect(auth).toContain('route="/token",status="200"');
  });
});
