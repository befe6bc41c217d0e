// The launcher's own redis-server: the arguments that make it keep its data on disk.
import { mkdirSync } from 'node:fs';

/**
 * Arguments of the `redis-server` that `npm start` starts when none is running: local only, and
 * durable — an append-only file (fsync every second) in `dir`, so stopping and starting `npm start`
 * keeps the provider's sessions, refresh tokens and revocations, and signs nobody out. No RDB
 * snapshots: the AOF already has everything, and a snapshot fork would double memory for nothing.
 * @param {{ port: number, dir: string }} options `dir` is created when missing.
 * @returns {string[]}
 */
export function localRedisArgs({ port, dir }) {
  mkdirSync(dir, { recursive: true });
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
  ];
}
