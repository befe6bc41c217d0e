import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createSupervisor, RESTART_BACKOFF, restartDelay } from '../../scripts/lib/supervisor.mjs';

/** Real child processes: `node -e <code>`, each leading its own process group as the launcher's do. */
const node = (code: string) => spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' });

const FAST = { initialMs: 50, maxMs: 400, stableMs: 60_000, maxFailures: 3 };

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Supervisor = ReturnType<typeof createSupervisor>;
let supervisor: Supervisor | undefined;
afterEach(async () => {
  await supervisor?.stop();
  supervisor = undefined;
});

describe('launcher supervisor (npm start)', () => {
  it('doubles the restart delay up to its maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelay(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    expect(RESTART_BACKOFF.maxFailures).toBeGreaterThan(0);
  });

  it('restarts a service that dies, with growing delays, while the others keep running', async () => {
    const events: { name: string; message: string; at: number }[] = [];
    let crashes = 0;
    supervisor = createSupervisor({
      backoff: FAST,
      spawnService: ({ name }: { name: string }) => {
        if (name === 'crashy') crashes += 1;
        // crashy dies at once the first two times, then stays up like a healthy service.
        return node(name === 'crashy' && crashes <= 2 ? 'process.exit(3)' : 'setInterval(() => {}, 1000)');
      },
      onEvent: (name: string, message: string) => events.push({ name, message, at: Date.now() }),
    });
    supervisor.start({ name: 'steady' });
    const steady = supervisor.child('steady');
    supervisor.start({ name: 'crashy' });

    await until(() => crashes === 3 && supervisor!.child('crashy') !== null);
    expect(events.map((e) => e.message)).toEqual([
      'exited (code 3); restarting in 0.05 s — the other services keep running',
      'exited (code 3); restarting in 0.1 s — the other services keep running',
    ]);
    expect(events.every((e) => e.name === 'crashy')).toBe(true);
    expect(supervisor.child('steady')).toBe(steady);
    expect(steady!.exitCode).toBeNull();
  });

  it('gives up on a service that keeps dying, and keeps the others', async () => {
    const messages: string[] = [];
    supervisor = createSupervisor({
      backoff: FAST,
      spawnService: ({ name }: { name: string }) =>
        node(name === 'broken' ? 'process.exit(1)' : 'setInterval(() => {}, 1000)'),
      onEvent: (_name: string, message: string) => messages.push(message),
    });
    supervisor.start({ name: 'steady' });
    supervisor.start({ name: 'broken' });
    await until(() => supervisor!.gaveUp('broken'));
    expect(messages).toHaveLength(FAST.maxFailures + 1);
    expect(messages.at(-1)).toMatch(/4 times in a row; giving up on it/);
    expect(supervisor.child('steady')!.exitCode).toBeNull();
  });

  it('treats a command that cannot start like a death, without crashing the launcher', async () => {
    const messages: string[] = [];
    supervisor = createSupervisor({
      backoff: { ...FAST, maxFailures: 1 },
      spawnService: () => spawn('/nonexistent/service-binary', [], { detached: true, stdio: 'ignore' }),
      onEvent: (_name: string, message: string) => messages.push(message),
    });
    supervisor.start({ name: 'missing' });
    await until(() => supervisor!.gaveUp('missing'));
    expect(messages).toEqual([
      'exited (ENOENT); restarting in 0.05 s — the other services keep running',
      'exited (ENOENT) 2 times in a row; giving up on it — the other services keep running',
    ]);
  });

  it('stop() ends every service (SIGTERM to its group) and restarts nothing', async () => {
    const messages: string[] = [];
    supervisor = createSupervisor({
      backoff: FAST,
      spawnService: () => node('setInterval(() => {}, 1000)'),
      onEvent: (_name: string, message: string) => messages.push(message),
    });
    supervisor.start({ name: 'a' });
    supervisor.start({ name: 'b' });
    const children = [supervisor.child('a')!, supervisor.child('b')!];
    await supervisor.stop();
    expect(children.map((c) => c.signalCode)).toEqual(['SIGTERM', 'SIGTERM']);
    await new Promise((r) => setTimeout(r, FAST.initialMs * 3));
    expect(supervisor.child('a')).toBeNull();
    expect(messages).toEqual([]);
  });
});
