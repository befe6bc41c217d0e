import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './ports';
import type { RunningService, ServiceSpec, Supervisor } from './processes';

/** The demo account every bench session signs in as (seeded by the auth service in development). */
export const BENCH_USER = { email: 'user@example.com', password: 'user-password' } as const;
/** user-web's client secret: the auth service's development default, passed explicitly to `next start`. */
export const USER_WEB_CLIENT_SECRET = 'dev-user-web-secret';
/** Raised per-user limit of user-api, so one user can drive the load runs (SPEC §6 default: 1000/hour). */
export const BENCH_RATE_LIMIT_PER_HOUR = 100_000_000;

export interface SystemOptions {
  repoRoot: string;
  /** Temporary folder: PGlite data and the services' logs. */
  workDir: string;
  redisUrl: string;
  /** LOG_LEVEL of user-api and user-web (the auth service always logs requests: the burst counts them). */
  logLevel: string;
  /** Milliseconds between the services' own memory samples (bench/src/memory-probe.cjs). */
  memorySampleMs: number;
  /** Write a V8 CPU profile of each service into this folder when it exits. */
  cpuProfileDir?: string;
  /** DATABASE_URL of every service; undefined: PGlite under the work folder. */
  databaseUrl?: string;
}

/** Preloaded into every service: writes its heap and RSS to the service's memoryLog. */
const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.cjs', import.meta.url));

export interface BenchSystem {
  issuer: string;
  apiUrl: string;
  webUrl: string;
  /** The same user-web build behind its fast lane (`server.ts`), a second instance of the app. */
  laneUrl: string;
  redisKeyPrefix: string;
  auth: RunningService;
  api: RunningService;
  web: RunningService;
  lane: RunningService;
  /** Restarts the auth service (same port, data and keys) with another access-token lifetime. */
  restartAuth(accessTokenTtl: number): Promise<void>;
}

/** Only what a shell needs; everything the services read is set explicitly (no DATABASE_URL leaks in). */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * Starts auth-service, user-api and user-web twice — `next start` and the fast lane (`server.ts`), both
 * on the production build — on free ports (the kernel's, never a fixed one), with a
 * unique Redis key prefix and PGlite data under the work folder. Each runs as one Node process
 * (`node --import tsx`, `node next start`), so its pid is the one whose memory the report gives.
 */
export async function startSystem(
  supervisor: Supervisor,
  options: SystemOptions,
  accessTokenTtl: number,
): Promise<BenchSystem> {
  const { repoRoot, workDir } = options;
  const [authPort, apiPort, webPort, lanePort] = (await freePorts(4)) as [number, number, number, number];
  const host = '127.0.0.1';
  const issuer = `http://${host}:${authPort}`;
  const apiUrl = `http://${host}:${apiPort}`;
  const webUrl = `http://${host}:${webPort}`;
  const laneUrl = `http://${host}:${lanePort}`;
  const redisKeyPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const shared = {
    ...baseEnv(),
    HOST: host,
    AUTH_ISSUER: issuer,
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    DATA_DIR: dataDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const requireFromWeb = createRequire(join(repoRoot, 'apps/user-web/package.json'));
  const nextBin = requireFromWeb.resolve('next/dist/bin/next');
  const nodeFlags = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    '--require',
    MEMORY_PROBE,
  ];
  const memoryEnv = (name: string) => ({
    BENCH_MEMORY_LOG: join(workDir, `${name}.memory.jsonl`),
    BENCH_MEMORY_SAMPLE_MS: String(options.memorySampleMs),
  });

  const authSpec = (ttl: number): ServiceSpec => ({
    name: 'auth-service',
    command: process.execPath,
    args: [...nodeFlags, '--import', 'tsx', 'src/main.ts'],
    cwd: join(repoRoot, 'apps/auth-service'),
    env: {
      ...shared,
      ...memoryEnv('auth-service'),
      PORT: String(authPort),
      LOG_LEVEL: 'info',
      ACCESS_TOKEN_TTL: String(ttl),
      USER_WEB_URL: webUrl,
      USER_API_RESOURCE: apiUrl,
    },
    logFile: join(workDir, 'auth-service.log'),
    healthUrl: `${issuer}/health`,
  });
  const apiSpec: ServiceSpec = {
    name: 'user-api',
    command: process.execPath,
    args: [...nodeFlags, '--import', 'tsx', 'src/main.ts'],
    cwd: join(repoRoot, 'apps/user-api'),
    env: {
      ...shared,
      ...memoryEnv('user-api'),
      PORT: String(apiPort),
      LOG_LEVEL: options.logLevel,
      API_RATE_LIMIT_PER_HOUR: String(BENCH_RATE_LIMIT_PER_HOUR),
    },
    logFile: join(workDir, 'user-api.log'),
    healthUrl: `${apiUrl}/health`,
  };
  const webSpec: ServiceSpec = {
    name: 'user-web',
    command: process.execPath,
    args: [...nodeFlags, nextBin, 'start', '--port', String(webPort), '--hostname', host],
    cwd: join(repoRoot, 'apps/user-web'),
    env: {
      ...shared,
      ...memoryEnv('user-web'),
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(webPort),
      LOG_LEVEL: options.logLevel,
      USER_WEB_URL: webUrl,
      USER_API_URL: apiUrl,
      USER_WEB_CLIENT_SECRET,
      USER_WEB_SESSION_PASSWORDS: `1:${randomBytes(24).toString('hex')}`,
    },
    logFile: join(workDir, 'user-web.log'),
    healthUrl: `${webUrl}/api/health`,
  };

  // A second instance of the app (same origin, passwords and Redis, so one session cookie works on
  // both, as behind a load balancer), its declared API routes in the fast lane (SPEC §10).
  const laneSpec: ServiceSpec = {
    ...webSpec,
    name: 'user-web-fast-lane',
    args: [...nodeFlags, '--import', 'tsx', 'server.ts'],
    env: { ...webSpec.env, ...memoryEnv('user-web-fast-lane'), PORT: String(lanePort) },
    logFile: join(workDir, 'user-web-fast-lane.log'),
    healthUrl: `${laneUrl}/api/health`,
  };

  let auth = await supervisor.start(authSpec(accessTokenTtl));
  const [api, web, lane] = await Promise.all([
    supervisor.start(apiSpec),
    supervisor.start(webSpec),
    supervisor.start(laneSpec),
  ]);
  return {
    issuer,
    apiUrl,
    webUrl,
    laneUrl,
    redisKeyPrefix,
    get auth() {
      return auth;
    },
    api,
    web,
    lane,
    async restartAuth(ttl: number) {
      await supervisor.stop(auth);
      auth = await supervisor.start(authSpec(ttl));
    },
  };
}
