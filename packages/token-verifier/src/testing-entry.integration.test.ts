import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('@bff-auth/token-verifier/testing', () => {
  // The bench (a plain Node process) loads it through the auth service's test harness; a module that
  // imports vitest there crashes `npm run bench` ("Vitest failed to access its internal state").
  it('loads in a plain Node process, outside vitest', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '-e', "await import('@bff-auth/token-verifier/testing'); console.log('loaded')"],
      { cwd: import.meta.dirname, timeout: 60_000 },
    );
    expect(stdout.trim()).toBe('loaded');
  }, 90_000);
});
