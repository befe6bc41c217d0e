import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDrainState, drainAwareListener } from './draining';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(state = createDrainState()) {
  const server = createServer(
    drainAwareListener((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('app');
    }, state),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('drainAwareListener', () => {
  it('passes every request through, /ready included, until the drain starts', async () => {
    const { url } = await serve();
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('app');
    expect(ready.headers.get('connection')).not.toBe('close');
  });

  it('answers /ready with 503 draining and closes every connection once the drain has started', async () => {
    const { url, state } = await serve();
    state.start();
    expect(state.draining).toBe(true);
    const ready = await fetch(`${url}/ready?probe=1`, { headers: { 'X-Request-ID': 'probe-1' } });
    expect(ready.status).toBe(503);
    expect(ready.headers.get('connection')).toBe('close');
    expect(ready.headers.get('x-request-id')).toBe('probe-1');
    expect(await ready.json()).toEqual({
      status: 'error',
      error: { code: 'draining', message: 'This instance is shutting down', requestId: 'probe-1' },
    });
    const other = await fetch(`${url}/things`);
    expect(other.status).toBe(200);
    expect(await other.text()).toBe('app');
    expect(other.headers.get('connection')).toBe('close');
  });
});
