// The launcher's process supervisor: starts each service in its own process group, restarts one that
// dies with exponential backoff while the others keep running, and stops them all on request.

/**
 * @typedef {{ initialMs: number, maxMs: number, stableMs: number, maxFailures: number }} Backoff
 */

/**
 * Restart policy. A service that ran `stableMs` before dying starts again from `initialMs`.
 * @type {Readonly<Backoff>}
 */
export const RESTART_BACKOFF = Object.freeze({
  initialMs: 1_000,
  maxMs: 30_000,
  stableMs: 30_000,
  /** Deaths in a row (each sooner than `stableMs` after its start) before the launcher gives up on it. */
  maxFailures: 5,
});

/** How long `stop()` waits for a service to exit after SIGTERM before SIGKILL (SPEC §7: 10 s). */
export const STOP_GRACE_MS = 10_000;

/**
 * The delay before restart number `failures` (1, 2, …): initialMs doubled each time, at most maxMs.
 * @param {number} failures
 * @param {Backoff} [backoff]
 */
export function restartDelay(failures, backoff = RESTART_BACKOFF) {
  return Math.min(backoff.initialMs * 2 ** (failures - 1), backoff.maxMs);
}

/**
 * @param {object} options
 * @param {(service: { name: string }) => import('node:child_process').ChildProcess} options.spawnService
 *   starts one service; spawn it `detached` so it leads its own process group (stop() signals the group).
 * @param {(name: string, message: string) => void} options.onEvent  exits, restarts, give-ups.
 * @param {Backoff} [options.backoff]
 * @param {number} [options.stopGraceMs]
 */
export function createSupervisor({
  spawnService,
  onEvent,
  backoff = RESTART_BACKOFF,
  stopGraceMs = STOP_GRACE_MS,
}) {
  /** @type {Map<string, { service: { name: string }, child: import('node:child_process').ChildProcess | null, startedAt: number, failures: number, timer: NodeJS.Timeout | null, gaveUp: boolean }>} */
  const entries = new Map();
  let stopping = false;

  const launch = (entry) => {
    entry.timer = null;
    if (stopping) return;
    entry.startedAt = Date.now();
    const child = spawnService(entry.service);
    entry.child = child;
    let gone = false;
    const onGone = (how) => {
      if (gone) return;
      gone = true;
      if (entry.child === child) entry.child = null;
      if (stopping) return;
      if (Date.now() - entry.startedAt >= backoff.stableMs) entry.failures = 0;
      entry.failures += 1;
      if (entry.failures > backoff.maxFailures) {
        entry.gaveUp = true;
        onEvent(
          entry.service.name,
          `exited (${how}) ${entry.failures} times in a row; giving up on it — the other services keep running`,
        );
        return;
      }
      const delay = restartDelay(entry.failures, backoff);
      onEvent(
        entry.service.name,
        `exited (${how}); restarting in ${delay / 1000} s — the other services keep running`,
      );
      entry.timer = setTimeout(() => launch(entry), delay);
    };
    child.once('exit', (code, signal) => onGone(signal ?? `code ${code}`));
    // A command that cannot start (ENOENT, EACCES) emits 'error', maybe without 'exit'.
    child.once('error', (error) => onGone(error.code ?? error.message));
  };

  const signalGroup = (child, signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {}
    }
  };

  return {
    /** Starts `service` (an object with a `name`) and keeps it running. */
    start(service) {
      const entry = { service, child: null, startedAt: 0, failures: 0, timer: null, gaveUp: false };
      entries.set(service.name, entry);
      launch(entry);
    },
    /** The running child of `name`, or null while it waits for a restart (or was given up). */
    child(name) {
      return entries.get(name)?.child ?? null;
    },
    /** Whether the launcher gave up restarting `name`. */
    gaveUp(name) {
      return entries.get(name)?.gaveUp ?? false;
    },
    get stopping() {
      return stopping;
    },
    /** Stops every service (SIGTERM to each group, SIGKILL after `stopGraceMs`); no more restarts. */
    async stop() {
      stopping = true;
      const running = [];
      for (const entry of entries.values()) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        if (entry.child && entry.child.exitCode === null && entry.child.signalCode === null)
          running.push(entry.child);
      }
      for (const child of running) signalGroup(child, 'SIGTERM');
      const force = setTimeout(() => {
        for (const child of running) signalGroup(child, 'SIGKILL');
      }, stopGraceMs);
      await Promise.all(
        running.map((child) =>
          child.exitCode === null && child.signalCode === null
            ? new Promise((resolve) => child.once('exit', resolve))
            : null,
        ),
      );
      clearTimeout(force);
    },
  };
}
