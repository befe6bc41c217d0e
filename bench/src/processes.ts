import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a service may take to answer its health check after spawning. */
export const START_TIMEOUT_MS = 90_000;
/** How long a service gets to exit after SIGTERM before SIGKILL. */
export const STOP_TIMEOUT_MS = 5_000;

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** stdout and stderr are appended here (never piped through the bench's own event loop). */
  logFile: string;
  /** GET this until it answers 200. */
  healthUrl: string;
}

export interface RunningService {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts child processes and stops every one of them: on stopAll(), and as a last resort
 * (SIGKILL, synchronously) when the bench process exits some other way.
 */
export function createSupervisor() {
  const running = new Set<RunningService>();
  const killAllNow = () => {
    for (const service of running) service.child.kill('SIGKILL');
  };
  process.on('exit', killAllNow);

  async function start(spec: ServiceSpec): Promise<RunningService> {
    const fd = openSync(spec.logFile, 'a');
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    let exitCode: number | string | null = null;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        exitCode = signal ?? code;
        running.delete(service);
        resolve();
      }),
    );
    if (!child.pid) throw new Error(`${spec.name}: could not spawn ${spec.command}`);
    const service: RunningService = { spec, child, pid: child.pid, exited };
    running.add(service);

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exitCode !== null) {
        throw new Error(`${spec.name} exited (${exitCode}) while starting:\n${tail(spec.logFile)}`);
      }
      try {
        const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.ok) return service;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    await stop(service);
    throw new Error(
      `${spec.name} did not answer ${spec.healthUrl} within ${START_TIMEOUT_MS} ms:\n${tail(spec.logFile)}`,
    );
  }

  async function stop(service: RunningService): Promise<void> {
    if (service.child.exitCode !== null || service.child.signalCode !== null) return;
    service.child.kill('SIGTERM');
    const timer = sleep(STOP_TIMEOUT_MS).then(() => 'timeout' as const);
    if ((await Promise.race([service.exited, timer])) === 'timeout') {
      service.child.kill('SIGKILL');
      await service.exited;
    }
  }

  async function stopAll(): Promise<void> {
    await Promise.all([...running].map(stop));
    process.off('exit', killAllNow);
  }

  return { start, stop, stopAll };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
