import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { createServiceApp, type ServiceAppDeps } from './service-app';

const logger = createLogger({ name: 'test', level: 'silent' });
// A stand-in for Redis, to test the app's wiring alone (ioredis types its commands with callback overloads)
// the real Redis behaviour of /ready is tested in src/redis/*.integration.test.ts.
const up = {
  db: { query: async () => [] },
  redis: { ping: async () => 'PONG', set: async () => 'OK' },
} as unknown as Omit<ServiceAppDeps, 'logger'>;

describe('createServiceApp', () => {
  it('serves /health and /ready, and answers an unknown route with the 404 envelope and a request id', async () => {
    const app = createServiceApp({ logger, ...up });
    expect((await app.request('/health')).status).toBe(200);
    expect(await (await app.request('/ready')).json()).toMatchObject({
      data: { database: 'ok', redis: 'ok' },
    });
    const res = await app.request('/nope', { headers: { 'x-request-id': 'req-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toMatchObject({ status: 'error', error: { code: 'not_found' } });
  });

  it('turns an error thrown by a mounted route into the 500 envelope', async () => {
    const app = createServiceApp({ logger, ...up });
    app.get('/boom', () => {
      throw new Error('secret detail');
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain('secret detail');
  });
});
