import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureLogger } from '../testing/capture-logger';
import { hasMetricsToken, metricsRoutes } from './metrics-endpoint';
import { observeRequests } from './observe-requests';
import { createServiceMetrics } from './service-metrics';

const TOKEN = 'a-metrics-token-of-32-characters';
// An in-memory exporter stands in for the OTLP receiver here; the real one runs in bff-core's trace test.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  // What NodeSDK registers in startTracing: async context and W3C propagation.
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

function appWith(tracer: Tracer | undefined) {
  const metrics = createServiceMetrics({ service: 'svc' });
  const { logger, logs } = createCaptureLogger('svc');
  const app = new Hono();
  app.use(observeRequests({ httpDuration: metrics.httpDuration, tracer }));
  app.route('/', metricsRoutes({ registry: metrics.registry, token: TOKEN }));
  app.get('/items/:id', (c) => {
    logger.info('inside');
    return c.json({ id: c.req.param('id') });
  });
  app.get('/boom', (c) => c.json({}, 503));
  return { app, metrics, logs };
}

const scrape = (app: Hono, authorization?: string) =>
  app.request('/metrics', authorization ? { headers: { authorization } } : {});

describe('GET /metrics', () => {
  it('refuses a request without the token, with another token, and when no token is configured', async () => {
    const { app, metrics } = appWith(provider.getTracer('test'));
    expect((await scrape(app)).status).toBe(401);
    expect((await scrape(app, `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(app, TOKEN)).status).toBe(401);
    const closed = new Hono().route('/', metricsRoutes({ registry: metrics.registry }));
    expect((await closed.request('/metrics', { headers: { authorization: 'Bearer ' } })).status).toBe(401);
  });

  it('serves durations by route pattern and status, never by raw path', async () => {
    const { app } = appWith(provider.getTracer('test'));
    await app.request('/items/secret-id-1');
    await app.request('/items/secret-id-2');
    await app.request('/boom');
    const res = await scrape(app, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(
      'http_request_duration_seconds_count{service="svc",method="GET",route="/items/:id",status="200"} 2',
    );
    expect(text).toContain('route="/boom",status="503"');
    expect(text).not.toContain('secret-id');
  });

  it('accepts only the exact token (property)', () => {
    fc.assert(
      fc.property(fc.string(), (other) => {
        fc.pre(other !== TOKEN);
        expect(hasMetricsToken(`Bearer ${other}`, TOKEN)).toBe(false);
        expect(hasMetricsToken(other, TOKEN)).toBe(false);
        expect(hasMetricsToken(`Bearer ${other}`, undefined)).toBe(false);
      }),
      { numRuns: 100 },
    );
    expect(hasMetricsToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
  });
});

describe('request spans', () => {
  it("continues the caller's traceparent and puts its trace_id on log lines", async () => {
    exporter.reset();
    const { app, logs } = appWith(provider.getTracer('test'));
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await app.request('/items/7', {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(res.status).toBe(200);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /items/:id');
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    const line = JSON.parse(logs.find((l) => l.includes('inside'))!);
    expect(line).toMatchObject({ trace_id: traceId, span_id: span?.spanContext().spanId });
  });

  it('makes no span and no trace_id when tracing is off', async () => {
    exporter.reset();
    const { app, logs } = appWith(undefined);
    await app.request('/items/7');
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(trace.getActiveSpan()).toBeUndefined();
    expect(JSON.parse(logs.find((l) => l.includes('inside'))!)).not.toHaveProperty('trace_id');
  });
});
