import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface MicroResult {
  name: string;
  iterations: number;
  microsPerOp: number;
  opsPerSec: number;
}

export interface MicroReport {
  cookieBytes: number;
  results: MicroResult[];
}

/**
 * Runs bff-core's micro-benchmarks (packages/bff-core/bench/run.ts: iron-session unseal, the cached
 * unseal path, seal, jose RS256 jwtVerify, the per-request auth path) in a process of their own, so
 * nothing else shares their event loop, and reads the JSON it writes.
 */
export async function runMicroBenchmarks(repoRoot: string, workDir: string, redisUrl: string) {
  const out = join(workDir, 'micro.json');
  const cwd = join(repoRoot, 'packages/bff-core');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--json', out], {
    cwd,
    env: { ...process.env, REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => console.log(`    ${line}`));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bff-core micro-benchmarks exited with ${code}`);
  return JSON.parse(readFileSync(out, 'utf8')) as MicroReport;
}
