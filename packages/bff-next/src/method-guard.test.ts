import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installMethodGuard } from './method-guard';

/** Sends one raw request line and returns the status line and headers (fetch cannot send TRACE). */
function raw(port: number, requestLine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${requestLine}\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

let server: Server;
let port: number;
// What Next does with a TRACE: `new Request(...)` throws, and the request ends in a 500.
const handled: string[] = [];

beforeAll(async () => {
  installMethodGuard();
  installMethodGuard(); // idempotent
  server = createServer((req, res) => {
    handled.push(req.method ?? '');
    try {
      new Request('http://localhost/', { method: req.method });
      res.end('ok');
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('installMethodGuard', () => {
  it.each([
    'TRACE / HTTP/1.1',
    'TRACK / HTTP/1.1',
    'PROPFIND /api/profile HTTP/1.1',
    'M-SEARCH * HTTP/1.1',
    'FOO /x HTTP/1.1',
    'CONNECT localhost:443 HTTP/1.1',
    'LOCK /profile HTTP/1.1',
  ])('answers %j with 405 and Allow, never reaching the app', async (line) => {
    const before = handled.length;
    const answer = await raw(port, line);
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
    expect(answer).toContain('"method_not_allowed"');
    expect(handled.length).toBe(before);
  });

  it.each(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('lets %s through', async (method) => {
    const answer = await raw(port, `${method} / HTTP/1.1`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
