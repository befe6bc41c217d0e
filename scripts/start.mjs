#!/usr/bin/env node
// `npm start`: finds or starts Redis, starts every service that exists, waits until each answers its
// health check, prints the URLs and the demo accounts. A service that dies is restarted with backoff
// while the others keep running (scripts/lib/supervisor.mjs). Ctrl-C stops every child.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupervisor, STOP_GRACE_MS } from './lib/supervisor.mjs';
import { localRedisArgs } from './local-redis.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  console.error(
    `Node ${process.versions.node} is too old: this project needs Node 20.18 or newer (see README).`,
  );
  process.exit(1);
}

/** Every service of SPEC §2, in start order; the ones not built yet are skipped. */
const SERVICES = [
  { name: 'auth-service', dir: 'apps/auth-service', port: 8002, kind: 'node', health: '/health' },
  { name: 'user-api', dir: 'apps/user-api', port: 8001, kind: 'node', health: '/health' },
  { name: 'admin-api', dir: 'apps/admin-api', port: 8003, kind: 'node', health: '/health' },
  { name: 'user-web', dir: 'apps/user-web', port: 3002, kind: 'next', health: '/api/health' },
  { name: 'admin-web', dir: 'apps/admin-web', port: 3003, kind: 'next', health: '/api/health' },
];

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[31m'];
const RESET = '\x1b[0m';
let stopping = false;

function log(name, color, line) {
  const label = `${color}${name.padEnd(12)}${RESET}`;
  let text = line;
  if (line.startsWith('{')) {
    try {
      const {
        level,
        msg,
        time: _t,
        service: _s,
        name: _n,
        pid: _p,
        hostname: _h,
        ...rest
      } = JSON.parse(line);
      const levelName =
        { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }[level] ?? level;
      const fields = Object.entries(rest)
        .filter(([, v]) => typeof v !== 'object')
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      text = `${levelName} ${msg}${fields ? ` ${fields}` : ''}`;
    } catch {}
  }
  process.stdout.write(`${label} ${text}\n`);
}

const supervisor = createSupervisor({
  spawnService: ({ name, color, command, args, options }) => {
    // Each child leads its own process group, so stopping it also stops what it started (next-server).
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [child.stdout, child.stderr]) {
      let buffer = '';
      stream.on('data', (chunk) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop();
        for (const line of lines) if (line.trim()) log(name, color, line);
      });
    }
    return child;
  },
  onEvent: (name, message) => log(name, COLORS[5], message),
});

/** Starts a supervised child: restarted with backoff if it dies, stopped by Ctrl-C. */
function run(name, color, command, args, options) {
  supervisor.start({ name, color, command, args, options });
}

function canConnect(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function ensureRedis() {
  // Sentinel or Cluster: the deployment's own Redis, never one the launcher would start.
  if (process.env.REDIS_SENTINELS || process.env.REDIS_CLUSTER_NODES) {
    console.log('Redis: using the configured Sentinel or Cluster.');
    return;
  }
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const port = Number(url.port || 6379);
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname;
  if (await canConnect(port, host)) {
    console.log(`Redis found at ${url.host}.`);
    return;
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(url.hostname)) {
    console.error(`Redis at ${url.host} is unreachable; start it or change REDIS_URL.`);
    process.exit(1);
  }
  if (spawnSync('redis-server', ['--version']).error) {
    console.error(
      'No Redis is running and redis-server is not installed: install Redis (apt-get install redis-server) or set REDIS_URL.',
    );
    process.exit(1);
  }
  const dir = join(process.env.DATA_DIR ?? join(root, '.data'), 'redis');
  console.log(`No Redis on port ${port}: starting a local redis-server (data kept in ${dir}).`);
  run('redis', COLORS[5], 'redis-server', localRedisArgs({ port, dir }), {});
  for (let i = 0; i < 50 && !(await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 100));
}

async function waitForHealth(service, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping && !supervisor.gaveUp(service.name)) {
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}${service.health}`);
      if (response.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  supervisor.stop().then(() => process.exit(code));
  // The supervisor SIGKILLs after STOP_GRACE_MS; never hang beyond that.
  setTimeout(() => process.exit(code), STOP_GRACE_MS + 2_000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  await ensureRedis();
  const present = SERVICES.filter((s) =>
    s.kind === 'node'
      ? existsSync(join(root, s.dir, 'src/main.ts'))
      : existsSync(join(root, s.dir, 'next.config.ts')),
  );
  for (const s of present) {
    if (await canConnect(s.port)) {
      console.error(
        `Port ${s.port} (${s.name}) is already in use: stop what runs there, or the earlier npm start.`,
      );
      process.exit(1);
    }
  }
  const nextApps = present.filter((s) => s.kind === 'next');
  if (nextApps.length) {
    console.log(`Building ${nextApps.map((s) => s.name).join(', ')} (first start takes a minute)...`);
    const build = spawnSync(
      'npx',
      ['turbo', 'run', 'build', ...nextApps.map((s) => `--filter=@bff-auth/${s.name}`)],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  // `next start` always runs with NODE_ENV=production, where the apps refuse development secrets. Unless
  // this launcher itself runs in production, hand them the documented development values explicitly.
  const devSecrets =
    process.env.NODE_ENV === 'production'
      ? {}
      : {
          USER_WEB_CLIENT_SECRET: 'dev-user-web-secret',
          ADMIN_WEB_CLIENT_SECRET: 'dev-admin-web-secret',
          USER_WEB_SESSION_PASSWORDS: '1:dev-user-web-session-password-change-me-0123456789',
          ADMIN_WEB_SESSION_PASSWORDS: '1:dev-admin-web-session-password-change-me-0123456789',
        };

  // Development mode leaves TOTP optional for admins, so the demo admin gets in with its password alone
  // (the services default to requiring it); an explicit ADMIN_TWO_STEP_REQUIRED wins.
  const development = process.env.NODE_ENV !== 'production';
  const adminTwoStep = process.env.ADMIN_TWO_STEP_REQUIRED ?? (development ? 'false' : 'true');
  const twoStepRequired = adminTwoStep === 'true' || adminTwoStep === '1';

  const tsx = join(root, 'node_modules/.bin/tsx');
  // BFF_FAST_LANE=1: user-web and admin-web answer their declared API routes in front of Next (README).
  const fastLane = ['1', 'true'].includes((process.env.BFF_FAST_LANE ?? '').toLowerCase());
  if (fastLane && nextApps.length)
    console.log('BFF_FAST_LANE: the BFF API routes are served in the fast lane.');
  present.forEach((s, i) => {
    const color = COLORS[i % 5];
    const env = {
      ...(s.kind === 'next' ? devSecrets : { ADMIN_TWO_STEP_REQUIRED: adminTwoStep }),
      ...process.env,
      PORT: String(s.port),
    };
    if (s.kind === 'node') run(s.name, color, tsx, ['src/main.ts'], { cwd: join(root, s.dir), env });
    else if (fastLane) {
      // The app's server.ts: the declared API routes by bff-core, pages by Next, one port (SPEC §10).
      const laneEnv = { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' };
      run(s.name, color, process.execPath, ['--import', 'tsx', 'server.ts'], {
        cwd: join(root, s.dir),
        env: laneEnv,
      });
    } else {
      const next = join(root, 'node_modules/.bin/next');
      const nextEnv = { ...env, NEXT_TELEMETRY_DISABLED: '1' };
      run(s.name, color, next, ['start', '--port', String(s.port), '--hostname', '127.0.0.1'], {
        cwd: join(root, s.dir),
        env: nextEnv,
      });
    }
  });

  const results = await Promise.all(
    present.map((s) => waitForHealth(s, s.kind === 'next' ? 120_000 : 60_000)),
  );
  if (stopping) return;
  const failed = present.filter((_, i) => !results[i]);
  if (failed.length) {
    console.error(`Not healthy in time: ${failed.map((s) => s.name).join(', ')}. See the log lines above.`);
    stop(1);
    return;
  }
  const demoUser = process.env.DEMO_USER_PASSWORD ?? 'user-password';
  const demoAdmin = process.env.DEMO_ADMIN_PASSWORD ?? 'admin-password';
  const lines = [
    '',
    'Everything is up:',
    ...present.map((s) => `  ${s.name.padEnd(13)} http://localhost:${s.port}${s.kind === 'next' ? '/' : ''}`),
    '',
    'Demo accounts:',
    `  user@example.com   / ${demoUser}   (role user)`,
    `  admin@example.com  / ${demoAdmin}  (roles user, admin)`,
    '',
    twoStepRequired
      ? 'Admins must have two-step verification (TOTP): the admin app asks an admin without it to set it up.'
      : 'Development mode: two-step verification is OPTIONAL for admins (ADMIN_TWO_STEP_REQUIRED=false).\n' +
        '  Production requires it; start with ADMIN_TWO_STEP_REQUIRED=true to try that here.',
    '',
    existsSync(join(root, 'apps/user-web/next.config.ts'))
      ? 'Open http://localhost:3002 (users) and http://localhost:3003 (admins). Ctrl-C stops everything.'
      : 'Discovery: http://localhost:8002/.well-known/openid-configuration. Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  stop(1);
});
