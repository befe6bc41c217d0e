import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { requestId } from './request-id';
import { requestLogger } from './request-logger';

function appLoggingAt(level: string) {
  const lines: { level: number; status: number; path: string; msg: string }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = new Hono();
  app.use(requestId());
  app.use(requestLogger(createLogger({ name: 'test', level, destination })));
  app.get('/ok', (c) => c.json({ ok: true }));
  app.get('/moved', (c) => c.redirect('/ok', 302));
  app.get('/refused', (c) => c.json({ error: 'no' }, 403));
  app.get('/broken', (c) => c.json({ error: 'down' }, 503));
  return { app, lines };
}

describe('requestLogger', () => {
  it('at info writes 4xx (info) and 5xx (warn) answers but no 2xx/3xx ones', async () => {
    const { app, lines } = appLoggingAt('info');
    for (const path of ['/ok', '/moved', '/refused', '/broken', '/missing']) await app.request(path);
    expect(lines.map((l) => [l.path, l.status, l.level])).toEqual([
      ['/refused', 403, 30],
      ['/broken', 503, 40],
      ['/missing', 404, 30],
    ]);
  });

  it('at debug writes every request, successes at debug', async () => {
    const { app, lines } = appLoggingAt('debug');
    await app.request('/ok');
    await app.request('/moved');
    expect(lines.map((l) => [l.msg, l.path, l.status, l.level])).toEqual([
      ['request', '/ok', 200, 20],
      ['request', '/moved', 302, 20],
    ]);
  });
});
