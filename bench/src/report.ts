import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BurstResult } from './burst';
import type { LoadResult } from './load';
import type { MicroReport } from './micro';
import type { SoakResult } from './soak';
import type { TargetResult } from './targets';

export interface LoadRun extends LoadResult {
  label: string;
  /** CPU time (user + system) each service spent per 2xx response during the run, µs. */
  cpuMicrosPerRequest: Record<string, number | null>;
}

export interface BenchReport {
  generatedAt: string;
  machine: {
    os: string;
    cpu: string;
    cores: number;
    memoryGb: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  node: string;
  /** What the services kept their data in: `PGlite`, or the PostgreSQL server's version. */
  database: string;
  settings: {
    connections: number;
    latencyConnections: number;
    durationSec: number;
    warmupSec: number;
    soakSec: number;
    burstSize: number;
    burstAccessTokenTtlSec: number;
    accessTokenTtlSec: number;
    logLevel: string;
  };
  micro: MicroReport;
  /** Throughput runs (settings.connections). */
  load: { direct: LoadRun; bff: LoadRun; fast: LoadRun; empty: LoadRun };
  /** Latency runs (settings.latencyConnections). */
  latency: { direct: LoadRun; bff: LoadRun; fast: LoadRun; empty: LoadRun };
  burst: BurstResult;
  soak: SoakResult;
  /** Resident memory (VmRSS) of each service after the load runs and the soak, MB. */
  memoryAfterRunMb: Record<string, number | null>;
  targets: TargetResult[];
  notes: string[];
}

const n = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The human-readable report. */
export function renderMarkdown(report: BenchReport): string {
  const { machine, settings, load, burst, soak } = report;
  const { latency } = report;
  const runs = [
    load.direct,
    load.bff,
    load.fast,
    load.empty,
    latency.direct,
    latency.bff,
    latency.fast,
    latency.empty,
  ];
  const services = Object.keys(load.bff.cpuMicrosPerRequest);
  const codes = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([code, count]) => `${code}×${count}`)
      .join(', ');
  return `# Benchmark report (SPEC §10)

Generated ${report.generatedAt} by \`npm run bench\`. Benchmarks report numbers; they never fail on timing.

- Machine: ${machine.os}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb.toFixed(0)} GB;
  load average ${machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' / ')} at start,
  ${machine.loadAverageAtEnd.map((v) => v.toFixed(2)).join(' / ')} at end (1 / 5 / 15 min; the figures at the end include the
  bench's own load, which keeps both cores busy)
- Node ${report.node}
- Load: autocannon, ${settings.durationSec} s per route after a ${settings.warmupSec} s warm-up: throughput runs
  with ${settings.connections} connections, latency runs with ${settings.latencyConnections}; the services, Redis and
  autocannon share the machine.
- Services: one Node process each, V8's default heap limit; user-web twice, the same build: \`next start\`
  (user-web) and its fast lane (user-web-fast-lane, \`server.ts\`), each idle while the other is measured;
  logs of user-api and user-web at \`${settings.logLevel}\`, auth-service at \`info\`; data in ${
    report.database === 'PGlite' ? 'PGlite (in process)' : `${report.database} (a database of the run's own)`
  }.

## Targets

${table(
  ['target', 'measured', 'met'],
  report.targets.map((t) => [t.target, t.measured + (t.note ? ` — ${t.note}` : ''), t.met ? 'yes' : 'no']),
)}

## Throughput and latency

${table(
  [
    'route',
    'connections',
    'req/s (2xx)',
    'p50 ms',
    'p90 ms',
    'p97.5 ms',
    'p99 ms',
    'mean ms',
    'max ms',
    'non-2xx',
    'errors',
  ],
  runs.map((r) => [
    r.label,
    r.connections,
    n(r.requestsPerSec, 0),
    n(r.latencyMs.p50),
    n(r.latencyMs.p90),
    n(r.latencyMs.p97_5),
    n(r.latencyMs.p99),
    n(r.latencyMs.mean),
    n(r.latencyMs.max, 1),
    r.non2xx,
    r.errors,
  ]),
)}

CPU time per 2xx answer (user + system, µs) of each process during each run (redis-server: the whole
server, which others may share; bench: the load generator itself):

${table(
  ['route', ...services],
  runs.map((r) => [r.label, ...services.map((s) => n(r.cpuMicrosPerRequest[s], 0))]),
)}

## Micro-benchmarks (packages/bff-core/bench/run.ts)

Sealed session cookie with 20 roles: ${report.micro.cookieBytes} bytes.

${table(
  ['operation', 'µs/op', 'ops/s', 'iterations'],
  report.micro.results.map((r) => [r.name, n(r.microsPerOp, 1), r.opsPerSec, r.iterations]),
)}

## Refresh burst

${burst.requests} concurrent \`GET /api/profile\` with one session whose access token
(ACCESS_TOKEN_TTL=${settings.burstAccessTokenTtlSec} s) was inside the 60 s refresh window.

${table(
  [
    'refresh calls (POST /token)',
    'answers',
    'responses with a new session cookie',
    'follow-up with it',
    'elapsed',
  ],
  [
    [
      burst.tokenCalls,
      codes(burst.statusCodes),
      burst.withNewCookie,
      burst.followUpStatus ?? '–',
      `${n(burst.elapsedMs, 0)} ms`,
    ],
  ],
)}

## Memory

Resident memory (VmRSS, MB) of each service after the load runs and the soak:

${table(Object.keys(report.memoryAfterRunMb), [Object.values(report.memoryAfterRunMb).map((v) => n(v, 1))])}

Soak: BFF \`GET /api/profile\` for ${Math.round(soak.durationSec)} s (${n(soak.load.requestsPerSec, 0)} req/s,
p50 ${n(soak.load.latencyMs.p50)} ms, non-2xx ${soak.load.non2xx}); RSS (/proc), V8 heap used and the heap in use after the latest
major GC (the service's own \`process.memoryUsage()\` and GC events) sampled every ${soak.sampleEverySec} s, at V8's default heap limit unless the settings say otherwise.

${table(
  [
    'service',
    'measure',
    'start MB',
    'end MB',
    'max MB',
    'slope MB/min (under load)',
    'growth MB (median of last third − first third)',
    'noise MB',
    'within noise',
  ],
  soak.services.flatMap((service) =>
    (
      [
        ['RSS', service.rss],
        ['heap used (sampled)', service.heapUsed],
        ['heap after major GC', service.heapAfterGc],
      ] as const
    ).flatMap(([measure, stats]) =>
      stats
        ? [
            [
              service.name,
              measure,
              n(stats.startMb, 1),
              n(stats.endMb, 1),
              n(stats.maxMb, 1),
              n(stats.slopeMbPerMin, 2),
              n(stats.growthMb, 1),
              n(stats.noiseMb, 1),
              stats.withinNoise ? 'yes' : 'no',
            ],
          ]
        : [],
    ),
  ),
)}

${soak.services
  .map(
    (service) =>
      `Samples of ${service.name} (s: RSS / heap used / heap after major GC, MB): ${service.samples
        .map((s) => `${s.atSec}: ${s.rssMb.toFixed(1)} / ${n(s.heapUsedMb, 1)} / ${n(s.heapAfterGcMb, 1)}`)
        .join(', ')}`,
  )
  .join('\n\n')}

## Notes

${report.notes.map((note) => `- ${note}`).join('\n')}
`;
}

/** Writes latest.md and latest.json (through .tmp files, so a reader never sees half a report). */
export function writeReport(dir: string, report: BenchReport): { markdown: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const markdown = join(dir, 'latest.md');
  const json = join(dir, 'latest.json');
  writeFileSync(`${markdown}.tmp`, renderMarkdown(report));
  writeFileSync(`${json}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${markdown}.tmp`, markdown);
  renameSync(`${json}.tmp`, json);
  return { markdown, json };
}
