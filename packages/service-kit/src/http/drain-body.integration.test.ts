import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { createServiceApp } from './service-app';

const logger = createLogger({ name: 'test', level: 'silent' });
const up = {
  db: { query: async () => [] },
  redis: { ping: async () => 'PONG', set: async () => 'OK' },
} as never;

/** A real Node server around the service app, as `serve` runs it. */
describe('a request body the handler does not read', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const app = createServiceApp({ logger, ...(up as object) } as Parameters<typeof createServiceApp>[0]);
    server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is read before the answer, so the keep-alive connection survives a body that arrives slowly', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // A POST to a route nobody serves, its body in two parts 800 ms apart (longer than the adapter's
    // half-second drain, after which it would destroy the connection).
    socket.write(
      'POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a":',
    );
    await new Promise((r) => setTimeout(r, 800));
    socket.write('"bcd"}');
    await expect.poll(() => received, { timeout: 5000 }).toContain('HTTP/1.1 404');
    await new Promise((r) => setTimeout(r, 800));
    // The same connection serves the next request.
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => received, { timeout: 5000 }).toContain('HTTP/1.1 200');
    socket.end();
    await closed;
  });
});
