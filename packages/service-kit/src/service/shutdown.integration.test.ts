import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/slow-service.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
/** SPEC §7: gone within 10 s of SIGTERM. */
const EXIT_WITHIN_MS = 10_000;
const STARTUP_BUDGET_MS = 90_000;

const children: ChildProcess[] = [];
afterEach(() => {
  // tsx runs the service in a child process of its own: SIGKILL the whole group, or that one would be left.
  for (const child of children.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
});

/** Starts the fixture service; resolves with its URL and a way to wait for a log line. */
async function startService() {
  const child = spawn(TSX, [FIXTURE], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
    detached: true,
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const waitForLog = (text: string, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find((l) => l.includes(text));
      if (found) return resolve(found);
      const timer = setTimeout(
        () => reject(new Error(`no "${text}" in the log; stderr: ${stderr}`)),
        timeoutMs,
      );
      waiters.push({
        test: (l) => l.includes(text),
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  // Start-up (tsx compiling the fixture) on a loaded two-core machine: a generous budget, never a measurement.
  const { url } = JSON.parse(await waitForLog('slow-service listening', STARTUP_BUDGET_MS)) as {
    url: string;
  };
  return { child, url, waitForLog, exited };
}

/** One GET on its own connection; resolves with status, Connection header and body. */
function get(url: string) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveService on SIGTERM (a real service process)', { timeout: 150_000 }, () => {
  it('finishes the request in flight, refuses new connections, and exits 0 within 10 s', async () => {
    const service = await startService();
    expect((await get(`${service.url}/ready`)).status).toBe(200);

    const inFlight = get(`${service.url}/slow?ms=1500`);
    await service.waitForLog('slow request started');
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await service.waitForLog('slow-service draining');

    await expect(get(`${service.url}/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'success', data: { waitedMs: 1500 } });
    expect(answer.connection).toBe('close');

    const { code, at } = await service.exited;
    expect(code).toBe(0);
    expect(at - signalledAt).toBeLessThan(EXIT_WITHIN_MS);
  }, 30_000);

  it('cuts a request that outlives the drain and still exits within 10 s', async () => {
    const service = await startService();
    const hung = get(`${service.url}/slow?ms=60000`).then(
      () => 'answered',
      () => 'cut',
    );
    await service.waitForLog('slow request started');
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    expect(await hung).toBe('cut');
    const { code, at } = await service.exited;
    expect(code).toBe(0);
    expect(at - signalledAt).toBeLessThan(EXIT_WITHIN_MS);
  }, 30_000);
});
