import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import {
  createRedis,
  type RedisClient,
  type RedisConnectionOptions,
  type RedisEndpoint,
  waitForRedis,
} from '../redis';
import { freePort } from './free-port';
import { TEST_COMMAND_TIMEOUT_MS } from './test-redis';

/** The three ways SPEC §9 lets a deployment give Redis. */
export const REDIS_TOPOLOGIES = ['single', 'cluster', 'sentinel'] as const;
export type RedisTopologyKind = (typeof REDIS_TOPOLOGIES)[number];

/** Name of the master the sentinels watch. */
export const SENTINEL_MASTER_NAME = 'bffauth';
/** How long a sentinel waits before it calls a silent master down: short, so failover tests stay short. */
const SENTINEL_DOWN_AFTER_MS = 1_000;
// Start-up on a loaded two-core machine: a budget, never a measurement.
const STARTUP_TIMEOUT_MS = 60_000;

export interface RedisTopology {
  kind: RedisTopologyKind;
  /** For `createRedis({ ...topology.endpoint, ... })`. */
  endpoint: RedisEndpoint;
  /** The same as environment variables, for a service started as a child process. */
  env: Record<string, string>;
  /** A connection through the factory, closed by `stop()`. Default: not fail-fast, TEST_COMMAND_TIMEOUT_MS. */
  connect(options?: Omit<RedisConnectionOptions, keyof RedisEndpoint>): Promise<RedisClient>;
  /**
   * Sentinel: `SENTINEL FAILOVER`, resolved once the sentinels name the promoted replica. Cluster started
   * with `replicas`: `CLUSTER FAILOVER` on the replica of the master serving `key` (default: the first
   * master), resolved once that replica serves the slot as master and every node sees the cluster ok.
   */
  failover(key?: string): Promise<void>;
  /**
   * Sentinel: SIGKILL the master, resolved once the sentinels have promoted the replica. Cluster started
   * with `replicas`: SIGKILL the master serving `key` (default: the first master), resolved once the
   * other nodes have elected its replica and see the cluster ok again.
   */
  killMaster(key?: string): Promise<void>;
  /** Port of the current master (Sentinel), or of the single server; for the cluster, the first node. */
  masterPort(): Promise<number>;
  /** Kills every process, closes every connection and deletes the temporary folder. */
  stop(): Promise<void>;
}

const exec = promisify(execFile);
/** Still running: a killed child has a null exitCode too, but a signalCode. */
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = STARTUP_TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(
    `redis topology: ${what} not reached in ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`,
  );
}

/** One command on a short-lived plain connection (no factory: the harness inspects single nodes). */
async function ask(port: number, ...args: string[]): Promise<unknown> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await redis.call(args[0]!, ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts real `redis-server` processes on free ports in a temporary folder: one server, a 3-master
 * Cluster, or Sentinel (master, replica, 3 sentinels), and waits until the topology serves writes.
 * Start one per test file (it takes a few seconds), and always `stop()` it (afterAll).
 */
export async function startRedisTopology(
  kind: RedisTopologyKind,
  {
    replicas = false,
  }: {
    /** Cluster only: a replica for each of the three masters (six nodes), so `failover()` works. */
    replicas?: boolean;
  } = {},
): Promise<RedisTopology> {
  const dir = await mkdtemp(join(tmpdir(), `redis-${kind}-`));
  const processes = new Map<number, ChildProcess>();
  const connections: RedisClient[] = [];
  const killAll = () => {
    for (const child of processes.values()) if (alive(child)) child.kill('SIGKILL');
  };
  // A test runner that exits without afterAll must not leave servers behind.
  process.once('exit', killAll);

  const server = async (port: number, args: string[]) => {
    const child = spawn('redis-server', args, { cwd: dir, stdio: 'ignore' });
    processes.set(port, child);
    await until(`redis on ${port}`, async () => (await ask(port, 'PING')) === 'PONG');
    return child;
  };
  const dataNode = (port: number, extra: string[] = []) =>
    server(port, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extra,
    ]);

  const stop = async () => {
    for (const c of connections) c.disconnect();
    const exits = [...processes.values()].filter(alive).map((c) => new Promise((r) => c.once('exit', r)));
    killAll();
    await Promise.all(exits);
    process.off('exit', killAll);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    let endpoint: RedisEndpoint;
    let env: Record<string, string>;
    let masterPort: () => Promise<number>;
    const sentinelPorts: number[] = [];
    const clusterPorts: number[] = [];

    if (kind === 'single') {
      const port = await freePort();
      await dataNode(port);
      endpoint = { url: `redis://127.0.0.1:${port}` };
      env = { REDIS_URL: endpoint.url! };
      masterPort = async () => port;
    } else if (kind === 'cluster') {
      const ports = clusterPorts;
      for (let i = 0; i < (replicas ? 6 : 3); i++) {
        const port = await freePort();
        // The bus port defaults to port + 10000, which may be taken or past 65535: ask for a free one.
        const busPort = await freePort();
        ports.push(port);
        await dataNode(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--cluster-node-timeout',
          '2000',
        ]);
      }
      await exec('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        ...(replicas ? ['--cluster-replicas', '1'] : []),
        '--cluster-yes',
      ]);
      if (replicas) {
        await until('every replica in sync', async () => {
          const roles = await Promise.all(ports.map((p) => ask(p, 'ROLE') as Promise<unknown[]>));
          const synced = await Promise.all(
            ports.map(
              async (p, i) =>
                roles[i]![0] !== 'slave' ||
                String(await ask(p, 'INFO', 'replication')).includes('master_link_status:up'),
            ),
          );
          return roles.filter((r) => r[0] === 'slave').length === 3 && synced.every(Boolean);
        });
      }
      for (const port of ports) {
        await until(`cluster state ok on ${port}`, async () =>
          String(await ask(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
        );
      }
      endpoint = { clusterNodes: ports.map((port) => ({ host: '127.0.0.1', port })) };
      env = { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') };
      masterPort = async () => ports[0]!;
    } else {
      const master = await freePort();
      const replica = await freePort();
      await dataNode(master);
      await dataNode(replica, ['--replicaof', '127.0.0.1', String(master)]);
      await until('replica in sync', async () =>
        String(await ask(replica, 'INFO', 'replication')).includes('master_link_status:up'),
      );
      for (let i = 0; i < 3; i++) {
        const port = await freePort();
        const conf = join(dir, `sentinel-${port}.conf`);
        await writeFile(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${master} 2`,
            `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${SENTINEL_DOWN_AFTER_MS}`,
            `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 10000`,
            `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
            '',
          ].join('\n'),
        );
        sentinelPorts.push(port);
        await server(port, [conf, '--sentinel']);
      }
      endpoint = {
        sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
        sentinelMaster: SENTINEL_MASTER_NAME,
      };
      env = {
        REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
        REDIS_SENTINEL_MASTER: SENTINEL_MASTER_NAME,
      };
      masterPort = async () => {
        const [, port] = (await ask(
          sentinelPorts[0]!,
          'SENTINEL',
          'get-master-addr-by-name',
          SENTINEL_MASTER_NAME,
        )) as [string, string];
        return Number(port);
      };
    }

    const killed = new Set<number>();
    const kill = async (port: number) => {
      const child = processes.get(port);
      if (child && alive(child)) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      killed.add(port);
    };
    const liveClusterPorts = () => clusterPorts.filter((port) => !killed.has(port));
    /** The slot of `key` (default 0), on a cluster started with replicas. */
    const clusterSlot = async (key?: string) => {
      if (!replicas)
        throw new Error('redis topology: a cluster failover needs the cluster started with replicas');
      return key === undefined ? 0 : Number(await ask(liveClusterPorts()[0]!, 'CLUSTER', 'KEYSLOT', key));
    };
    /** The live master whose own slots include `slot`, if any. */
    const servedBy = async (slot: number) => {
      for (const port of liveClusterPorts()) {
        const role = (await ask(port, 'ROLE')) as unknown[];
        if (role[0] !== 'master') continue;
        const myself = String(await ask(port, 'CLUSTER', 'NODES'))
          .split('\n')
          .find((line) => line.includes('myself'));
        const ranges = (myself ?? '').split(' ').slice(8);
        const serves = ranges.some((range) => {
          const [from, to = from] = range.split('-').map(Number);
          return slot >= from! && slot <= to!;
        });
        if (serves) return port;
      }
      return undefined;
    };
    /** A connected replica of the master on `master`. */
    const replicaOf = (master: number) =>
      until('a replica of the master', async () => {
        for (const port of liveClusterPorts()) {
          const role = (await ask(port, 'ROLE')) as unknown[];
          if (role[0] === 'slave' && Number(role[2]) === master && role[3] === 'connected') return port;
        }
        return undefined;
      });
    /** `replica` serves `slot` as master and every live node sees the cluster ok. */
    const promotedInCluster = async (slot: number, replica: number) => {
      await until('the replica serving as master', async () => (await servedBy(slot)) === replica, 30_000);
      for (const port of liveClusterPorts()) {
        await until(`cluster state ok on ${port}`, async () =>
          String(await ask(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
        );
      }
    };
    const clusterFailover = async (key: string | undefined, how: 'manual' | 'kill') => {
      const slot = await clusterSlot(key);
      const old = await until('the master of the slot', () => servedBy(slot));
      const replica = await replicaOf(old);
      // A manual failover loses no write; a killed master is replaced by an election after the node
      // timeout, and writes it had not yet sent to its replica are lost.
      if (how === 'manual') await ask(replica, 'CLUSTER', 'FAILOVER');
      else await kill(old);
      await promotedInCluster(slot, replica);
    };

    const sentinelOnly = (what: string) => {
      if (kind !== 'sentinel') throw new Error(`redis topology: ${what} needs the sentinel topology`);
    };
    /** Every sentinel knows the replica and the other two sentinels: a failover can be agreed. */
    const sentinelsSettled = () =>
      until('sentinels know each other and the replica', async () => {
        for (const port of sentinelPorts) {
          const replicas = (await ask(port, 'SENTINEL', 'replicas', SENTINEL_MASTER_NAME)) as unknown[];
          const others = (await ask(port, 'SENTINEL', 'sentinels', SENTINEL_MASTER_NAME)) as unknown[];
          if (replicas.length < 1 || others.length < 2) return false;
        }
        return true;
      });
    /** Every sentinel names a master other than `old`, and that server says it is a master. */
    const promotedFrom = (old: number) =>
      until(
        'a promoted master',
        async () => {
          const ports = await Promise.all(
            sentinelPorts.map(async (p) =>
              Number(
                ((await ask(p, 'SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER_NAME)) as string[])[1],
              ),
            ),
          );
          if (ports.some((p) => p === old || p !== ports[0])) return false;
          return ((await ask(ports[0]!, 'ROLE')) as string[])[0] === 'master';
        },
        30_000,
      );

    const topology: RedisTopology = {
      kind,
      endpoint,
      env,
      async connect(options = {}) {
        const patient = options.failFast === false || options.failFast === undefined;
        const redis = createRedis({
          failFast: false,
          // Fail-fast connections keep the production timeout; the others get the tests' patience.
          ...(patient ? { commandTimeoutMs: TEST_COMMAND_TIMEOUT_MS } : {}),
          ...options,
          ...endpoint,
        });
        connections.push(redis);
        await waitForRedis(redis, STARTUP_TIMEOUT_MS);
        // Like createTestRedis: a healthy deployment's revocation state is complete (the auth service
        // writes this marker, `revocationKeys.restored` of @bff-auth/revocation, after restoring it;
        // `0`: restored long ago, nothing lost).
        await redis.set('revocation:restored', '0');
        return redis;
      },
      masterPort,
      async failover(key) {
        if (kind === 'cluster') return clusterFailover(key, 'manual');
        sentinelOnly('failover');
        await sentinelsSettled();
        const old = await masterPort();
        // Sentinel refuses (NOGOODSLAVE) while its view of the replica is stale — right after a start or
        // an earlier failover on a busy machine: ask again until it accepts.
        await until('a replica sentinel will promote', async () => {
          try {
            return (await ask(sentinelPorts[0]!, 'SENTINEL', 'FAILOVER', SENTINEL_MASTER_NAME)) === 'OK';
          } catch (error) {
            if (String(error).includes('NOGOODSLAVE')) return false;
            throw error;
          }
        });
        await promotedFrom(old);
      },
      async killMaster(key) {
        if (kind === 'cluster') return clusterFailover(key, 'kill');
        sentinelOnly('killMaster');
        await sentinelsSettled();
        const old = await masterPort();
        await kill(old);
        await promotedFrom(old);
      },
      stop,
    };
    // The topology is up when a client of the factory can write through it.
    const probe = await topology.connect();
    await until(
      `${kind} writable`,
      async () => (await probe.set('topology:probe', '1', 'PX', 1000)) === 'OK',
    );
    return topology;
  } catch (error) {
    await stop();
    throw error;
  }
}
