import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import { bodyLimit } from './body-limit';
import { success } from './envelope';
import { errorHandler, notFoundHandler } from './error-handler';
import { readJson } from './json-body';
import { requestId, requestIdFrom } from './request-id';

function app() {
  const a = new Hono();
  a.use('*', requestId());
  a.use('*', bodyLimit(64));
  a.onError(errorHandler(createLogger({ name: 'test', level: 'silent' })));
  a.notFound(notFoundHandler);
  a.post('/things', async (c) => success(c, await readJson(c, z.object({ name: z.string().min(1) })), 201));
  a.get('/boom', () => {
    throw new Error('database password is hunter22');
  });
  a.get('/limited', () => {
    throw new AppError(429, 'too_many_attempts', 'Too many', { details: { retryAfterSeconds: 42 } });
  });
  return a;
}

describe('http middleware', () => {
  it('keeps a well-formed X-Request-ID and replaces a hostile one', async () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom('<script>')).not.toBe('<script>');
    const res = await app().request('/nope', { headers: { 'x-request-id': 'req-1' } });
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toEqual({
      status: 'error',
      error: { code: 'not_found', message: 'No such route', requestId: 'req-1' },
    });
  });

  it('answers invalid JSON with 400, a wrong type with 415 and schema errors with 422 field errors', async () => {
    const post = (body: string, type = 'application/json') =>
      app().request('/things', { method: 'POST', body, headers: { 'content-type': type } });
    expect((await post('{')).status).toBe(400);
    expect((await post('x', 'text/plain')).status).toBe(415);
    const invalid = await post('{"name":""}');
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error.details).toEqual({ name: [expect.any(String)] });
    expect((await post('{"name":"ok"}')).status).toBe(201);
  });

  it('answers an oversized body with 413 and closes the connection', async () => {
    const res = await app().request('/things', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(200) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
  });

  it('says Retry-After on a 429 whose details give retryAfterSeconds', async () => {
    const res = await app().request('/limited');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('42');
    expect((await res.json()).error.details).toEqual({ retryAfterSeconds: 42 });
  });

  it('turns an unexpected error into a 500 envelope without its message', async () => {
    const res = await app().request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter22');
    expect(JSON.parse(text).error.code).toBe('internal_error');
  });
});
