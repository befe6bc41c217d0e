import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { signInAt } from '../fixtures/sign-in';
import { DEMO, readState, URLS } from '../fixtures/system';

/** SPEC §7: a service is gone within 10 s of SIGTERM. */
const EXIT_WITHIN_MS = 10_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * A second user-web instance (`next start`, the same build, environment and session passwords as the
 * system's), so SIGTERM can be sent to it without stopping the instance the other specs use.
 */
async function startSecondUserWeb(): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const spec = readState()?.services['user-web']?.spec;
  if (!spec) throw new Error('e2e system: user-web is not recorded');
  const port = await freePort();
  const args = spec.args.map((a, i) => (spec.args[i - 1] === '--port' ? String(port) : a));
  const child = spawn(spec.command, args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a container's processes are
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`second user-web exited:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`second user-web not healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, url, log: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(Date.now());
    else child.once('exit', () => resolve(Date.now()));
  });

test('SIGTERM to a BFF ends its event streams with a retry hint and the process exits within 10 s', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await signInAt(page, `${URLS.userWeb}/profile`, DEMO.user);
  const cookie = (await context.cookies(URLS.userWeb)).map((c) => `${c.name}=${c.value}`).join('; ');
  const instance = await startSecondUserWeb();
  try {
    const ready = await fetch(`${instance.url}/api/ready`);
    const readyBody = await ready.json();
    expect(ready.status, JSON.stringify(readyBody)).toBe(200);
    expect(readyBody).toEqual({ status: 'success', data: { redis: 'ok', provider: 'ok' } });

    // The same session works on the second instance (same passwords), so its event stream opens.
    const events = await fetch(`${instance.url}/api/auth/events`, { headers: { cookie } });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes(': connected')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended early: ${received}`);
      received += decoder.decode(value);
    }

    const gone = exited(instance.child);
    const signalledAt = Date.now();
    process.kill(-instance.child.pid!, 'SIGTERM');

    // Next's own handler waits for open requests before it exits; the drain ends the stream for it.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    expect(received).toMatch(/: connected[\s\S]*\nretry: \d+\n: draining\n/);
    expect((await gone) - signalledAt, instance.log()).toBeLessThan(EXIT_WITHIN_MS);

    // Nobody was signed out by it: the session still works on the instance that stays.
    const session = await fetch(`${URLS.userWeb}/api/auth/session`, { headers: { cookie } });
    expect((await session.json()).authenticated).toBe(true);
  } finally {
    if (instance.child.exitCode === null && instance.child.signalCode === null) {
      process.kill(-instance.child.pid!, 'SIGKILL');
    }
  }
});
