/**
 * `npm run bench` (SPEC §10): starts its own auth-service, user-api and user-web on free ports, then
 * measures direct user-api, the BFF profile route and an empty route handler with autocannon, a
 * refresh burst, memory and a soak, plus bff-core's micro-benchmarks; writes bench/reports/latest.*.
 * Missed targets are reported, never a failure: the exit code is non-zero only on real errors.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessDpopKey } from '@bff-auth/auth-service/testing';
import { refreshBurst } from './burst';
import { type BenchDatabase, createBenchDatabase } from './database';
import { dpopHeaders } from './dpop-headers';
import { cpuProbes, measuredRun } from './measured-run';
import { runMicroBenchmarks } from './micro';
import { parseOptions, USAGE } from './options';
import { residentMb } from './proc-stats';
import { createSupervisor, tail } from './processes';
import { checkRedis, deleteKeysWithPrefix } from './redis';
import { type BenchReport, type LoadRun, writeReport } from './report';
import { reportNotes } from './report-notes';
import { directAccessToken, signInToBff } from './sign-in';
import { soak } from './soak';
import { type BenchSystem, startSystem } from './system';
import { evaluateTargets } from './targets';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORT_DIR = fileURLToPath(new URL('../reports', import.meta.url));
/** A token this young is inside the BFF's 60 s refresh window from the start. */
const BURST_ACCESS_TOKEN_TTL = 30;

const began = performance.now();
const phase = (text: string) =>
  console.log(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${text}`);

async function build(workDir: string) {
  const log = join(workDir, 'build.log');
  const fd = openSync(log, 'a');
  const child = spawn('npx', ['turbo', 'run', 'build', '--filter=@bff-auth/user-web'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', fd, fd],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`building user-web failed (${code}):\n${tail(log, 40)}`);
}

async function expectOk(label: string, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`${label}: ${url} answered ${response.status}: ${body.slice(0, 300)}`);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const workDir = mkdtempSync(join(tmpdir(), 'bff-bench-'));
  const supervisor = createSupervisor();
  let system: BenchSystem | undefined;
  let database: BenchDatabase | undefined;
  let failed = false;

  const cleanup = async () => {
    await supervisor.stopAll();
    if (system) await deleteKeysWithPrefix(redisUrl, system.redisKeyPrefix).catch(() => 0);
    await database?.drop().catch((error: unknown) => {
      console.log(`[bench] could not drop the bench database: ${(error as Error).message}`);
    });
    if (options.keep || failed) console.log(`[bench] service logs and data kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n[bench] ${signal}: stopping every service`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const loadAverageAtStart = loadavg();
    phase(
      `Node ${process.version}, ${cpus().length} cores, load average ${loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')}`,
    );
    await checkRedis(redisUrl);
    if (options.databaseUrl) {
      database = await createBenchDatabase(options.databaseUrl);
      phase(`database: ${database.server}, a new database ${new URL(database.url).pathname.slice(1)}`);
    }
    if (!options.skipBuild) {
      phase('building user-web (turbo run build; cached when unchanged)');
      await build(workDir);
    }

    phase('micro-benchmarks: packages/bff-core/bench/run.ts');
    const micro = await runMicroBenchmarks(REPO_ROOT, workDir, redisUrl);

    phase(
      `starting auth-service (ACCESS_TOKEN_TTL=${BURST_ACCESS_TOKEN_TTL} s), user-api, user-web (next start and fast lane)`,
    );
    system = await startSystem(
      supervisor,
      {
        repoRoot: REPO_ROOT,
        workDir,
        redisUrl,
        logLevel: options.logLevel,
        memorySampleMs: Math.min(1000, options.sampleEvery * 1000),
        ...(options.cpuProf ? { cpuProfileDir: join(workDir, 'profiles') } : {}),
        ...(database ? { databaseUrl: database.url } : {}),
      },
      BURST_ACCESS_TOKEN_TTL,
    );
    phase(
      `  auth-service ${system.issuer}, user-api ${system.apiUrl}, user-web ${system.webUrl} (fast lane ${system.laneUrl}), Redis prefix ${system.redisKeyPrefix}, data ${workDir}`,
    );
    const profile = `${system.webUrl}/api/profile`;

    phase(
      `refresh burst: ${options.burst} concurrent GET /api/profile on a session inside the refresh window`,
    );
    const burstCookie = await signInToBff(system.webUrl);
    await fetch(profile).then((r) => r.arrayBuffer()); // loads the route module: the burst measures the refresh, not a cold start
    const burst = await refreshBurst({
      url: profile,
      cookie: burstCookie,
      size: options.burst,
      authLogFile: system.auth.spec.logFile,
    });
    console.log(
      `    ${burst.tokenCalls} refresh call(s); answers ${JSON.stringify(burst.statusCodes)}; follow-up ${burst.followUpStatus}`,
    );

    // A lifetime longer than the whole run: the load runs and the soak replay one cookie, so no refresh may fall due.
    const accessTokenTtl = 3600 + Math.ceil(options.soak + 6 * (options.warmup + options.duration));
    phase(`restarting auth-service with ACCESS_TOKEN_TTL=${accessTokenTtl} s; signing in`);
    await system.restartAuth(accessTokenTtl);
    const cookie = await signInToBff(system.webUrl);
    const token = await directAccessToken(system.issuer, system.webUrl);
    // The token is bound to the sign-in harness's DPoP key (user-web's tokens always are): every request
    // carries a new proof, as the BFF sends one.
    const directUrl = `${system.apiUrl}/api/v1/profiles/me`;
    const directProof = dpopHeaders(await harnessDpopKey(), {
      method: 'GET',
      url: directUrl,
      accessToken: token,
    });
    const direct = { url: directUrl, headers: {}, perRequestHeaders: directProof };
    const bff = { url: profile, headers: { cookie } };
    const fast = { url: `${system.laneUrl}/api/profile`, headers: { cookie } };
    const empty = { url: `${system.webUrl}/api/health`, headers: {} };
    await expectOk('direct user-api', direct.url, directProof());
    await expectOk('BFF profile', bff.url, bff.headers);
    await expectOk('BFF profile in the fast lane', fast.url, fast.headers);
    await expectOk('empty handler', empty.url);

    const services = [system.auth, system.api, system.web, system.lane];
    const probes = cpuProbes(services, redisUrl);
    const routes = [
      ['direct', 'direct user-api GET /api/v1/profiles/me', direct],
      ['bff', 'BFF user-web GET /api/profile', bff],
      ['fast', 'BFF fast lane user-web GET /api/profile', fast],
      ['empty', 'empty handler user-web GET /api/health', empty],
    ] as const;
    /** The four routes, one after another, with the same settings. */
    const runAll = async (connections: number) => {
      const runs: LoadRun[] = [];
      for (const [title, label, target] of routes) {
        runs.push(
          await measuredRun(
            label,
            probes,
            {
              ...target,
              title,
              connections,
              duration: options.duration,
              warmup: options.warmup,
            },
            phase,
          ),
        );
      }
      return { direct: runs[0]!, bff: runs[1]!, fast: runs[2]!, empty: runs[3]! };
    };
    const load = await runAll(options.connections);
    const latency = await runAll(options.latencyConnections);

    phase(
      `soak: BFF GET /api/profile for ${options.soak} s, RSS and heap of user-web and user-api every ${options.sampleEvery} s`,
    );
    const soaked = await soak({
      ...bff,
      connections: options.connections,
      durationSec: options.soak,
      sampleEverySec: options.sampleEvery,
      services: [system.web, system.api].map((service) => ({
        name: service.spec.name,
        pid: service.pid,
        ...(service.spec.env.BENCH_MEMORY_LOG ? { memoryLog: service.spec.env.BENCH_MEMORY_LOG } : {}),
      })),
      onSample: (atSec, samples) =>
        console.log(
          `    ${String(atSec).padStart(4)} s: ${samples
            .map(
              ({ name, sample }) =>
                `${name} RSS ${sample.rssMb.toFixed(1)} MB, heap ${sample.heapUsedMb?.toFixed(1) ?? '–'} MB (after GC ${sample.heapAfterGcMb?.toFixed(1) ?? '–'})`,
            )
            .join(', ')}`,
        ),
    });

    const memoryAfterRunMb: Record<string, number | null> = {};
    for (const service of services) memoryAfterRunMb[service.spec.name] = residentMb(service.pid);
    phase(
      `memory after the run: ${Object.entries(memoryAfterRunMb)
        .map(([k, v]) => `${k} ${v?.toFixed(1)} MB`)
        .join(', ')}`,
    );

    const targets = evaluateTargets({ load, latency, burst, soak: soaked });
    const report: BenchReport = {
      generatedAt: new Date().toISOString(),
      machine: {
        os: `${type()} ${release()}`,
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGb: totalmem() / 1024 ** 3,
        loadAverageAtStart,
        loadAverageAtEnd: loadavg(),
      },
      node: process.version,
      database: database?.server ?? 'PGlite',
      settings: {
        connections: options.connections,
        latencyConnections: options.latencyConnections,
        durationSec: options.duration,
        warmupSec: options.warmup,
        soakSec: options.soak,
        burstSize: options.burst,
        burstAccessTokenTtlSec: BURST_ACCESS_TOKEN_TTL,
        accessTokenTtlSec: accessTokenTtl,
        logLevel: options.logLevel,
      },
      micro,
      load,
      latency,
      burst,
      soak: soaked,
      memoryAfterRunMb,
      targets,
      notes: reportNotes({
        accessTokenTtl,
        burstAccessTokenTtl: BURST_ACCESS_TOKEN_TTL,
      }),
    };
    phase('stopping services');
    await cleanup();
    // npm runs the script in bench/; a relative --out means the folder npm was started from.
    const outDir = options.out ? resolve(process.env.INIT_CWD ?? process.cwd(), options.out) : REPORT_DIR;
    const written = writeReport(outDir, report);
    console.log(`\nTargets (SPEC §10):`);
    for (const t of targets)
      console.log(
        `  ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.measured}${t.note ? ` (${t.note})` : ''}`,
      );
    console.log(`\nReport: ${written.markdown}\n        ${written.json}`);
  } catch (error) {
    failed = true;
    await cleanup();
    throw error;
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
