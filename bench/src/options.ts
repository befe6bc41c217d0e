import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** autocannon connections per throughput run. */
  connections: number;
  /** autocannon connections of the latency runs (unloaded: 1). */
  latencyConnections: number;
  /** Seconds of each measured run. */
  duration: number;
  /** Seconds of the unmeasured run before each measured one. */
  warmup: number;
  /** Seconds of the memory soak of the BFF route (SPEC's full soak: 600). */
  soak: number;
  /** Seconds between memory samples (RSS and V8 heap of user-web and user-api) during the soak. */
  sampleEvery: number;
  /** Concurrent requests of the refresh burst. */
  burst: number;
  /** LOG_LEVEL of user-api and user-web. */
  logLevel: string;
  /** Skip `turbo run build` of user-web (use the existing .next). */
  skipBuild: boolean;
  /** Keep the temporary folder (PGlite data, service logs). */
  keep: boolean;
  /** Write CPU profiles of the services into the (kept) temporary folder. */
  cpuProf: boolean;
  /** Folder of latest.md / latest.json; undefined: bench/reports. */
  out?: string;
  /** A PostgreSQL server for the services (a database of their own is made on it); undefined: PGlite. */
  databaseUrl?: string;
}

export const USAGE = `npm run bench [-- options]
  --connections N   connections of the throughput runs       (default 10)
  --latency-connections N  connections of the latency runs  (default 1)
  --duration S      seconds of each measured run             (default 10)
  --warmup S        seconds of warm-up before each run       (default 3)
  --soak S          seconds of the BFF memory soak           (default 60; SPEC's full soak: 600)
  --sample-every S  seconds between memory samples (RSS, heap) in the soak (default 5)
  --burst N         concurrent requests of the refresh burst (default 100)
  --log-level L     LOG_LEVEL of user-api and user-web       (default info)
  --skip-build      use the existing user-web build
  --keep            keep the temporary folder (data, service logs)
  --cpu-prof        write a V8 CPU profile of each service into the kept temporary folder
  --out DIR         write latest.md / latest.json there       (default bench/reports)
  --database-url U  run the services on PostgreSQL: a new database on the server of U, dropped after
                    (default: PGlite, as npm start without DATABASE_URL)`;

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min) throw new Error(`--${name} must be a number ≥ ${min}`);
  return number;
}

/** Reads the command line; throws with a message naming the bad option. */
export function parseOptions(argv: string[]): BenchOptions & { help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string' },
      'latency-connections': { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      soak: { type: 'string' },
      'sample-every': { type: 'string' },
      burst: { type: 'string' },
      'log-level': { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      out: { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    connections: Math.round(positive('connections', values.connections, 10)),
    latencyConnections: Math.round(positive('latency-connections', values['latency-connections'], 1)),
    duration: positive('duration', values.duration, 10),
    warmup: positive('warmup', values.warmup, 3, 0),
    soak: positive('soak', values.soak, 60),
    sampleEvery: positive('sample-every', values['sample-every'], 5),
    burst: Math.round(positive('burst', values.burst, 100)),
    logLevel: values['log-level'] ?? 'info',
    skipBuild: values['skip-build'],
    keep: values.keep || values['cpu-prof'],
    cpuProf: values['cpu-prof'],
    ...(values.out ? { out: values.out } : {}),
    ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
    help: values.help,
  };
}
