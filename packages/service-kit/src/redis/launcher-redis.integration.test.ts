import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The launcher (scripts/start.mjs) is plain Node outside the workspaces; its Redis arguments are
// tested here so they run with `npm test`.
import { localRedisArgs } from '../../../../scripts/local-redis.mjs';
import { freePort } from '../testing/free-port';
import { createRedis } from './create-redis';
import { waitForRedis } from './wait-for-redis';

describe("the launcher's own Redis", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data across a stop and start (append-only file), so a restart signs nobody out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'launcher-redis-'));
    dirs.push(dir);
    const port = await freePort();
    const args = localRedisArgs({ port, dir: join(dir, 'redis') });
    const start = () => spawn('redis-server', args, { stdio: 'ignore' });
    // Stopped the way the launcher stops its children on Ctrl-C.
    const stop = (child: ChildProcess) => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      return exited;
    };

    let server = start();
    const write = createRedis({ url: `redis://127.0.0.1:${port}`, failFast: false });
    try {
      await waitForRedis(write, 10_000);
      await write.set('oidc:Session:s1', '{"accountId":"u1"}');
      await write.set('revoked:{u:u1}:sid:s0', '1', 'EX', 3600);
    } finally {
      write.disconnect();
      await stop(server);
    }

    server = start();
    const read = createRedis({ url: `redis://127.0.0.1:${port}`, failFast: false });
    try {
      await waitForRedis(read, 10_000);
      expect(await read.get('oidc:Session:s1')).toBe('{"accountId":"u1"}');
      expect(await read.ttl('revoked:{u:u1}:sid:s0')).toBeGreaterThan(0);
    } finally {
      read.disconnect();
      await stop(server);
    }
  }, 30_000);
});
