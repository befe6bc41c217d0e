import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './free-port';

export interface OwnRedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: an outage, not a graceful shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers, as in a stall. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
}

export interface StartRedisServerOptions {
  /**
   * Write the revocation state's "restored" marker (`revocation:restored`, unprefixed) after every start,
   * as the auth service does whenever Redis comes back empty (value `0`: nothing lost). Default false:
   * readers then fail closed.
   */
  restoredMarker?: boolean;
}

/**
 * Starts a private `redis-server` on a free port, for tests that stop Redis to check fail-closed
 * behaviour without touching the shared server. It keeps nothing on disk: a restart comes back empty.
 */
export async function startRedisServer({
  restoredMarker = false,
}: StartRedisServerOptions = {}): Promise<OwnRedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        await probe.ping();
        if (restoredMarker) await probe.set('revocation:restored', '0');
        probe.disconnect();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };

  const signal = (name: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: async () => {
      signal('SIGCONT'); // a frozen process cannot be waited for otherwise
      await kill();
    },
    start,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
  };
}
