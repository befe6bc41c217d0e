import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two CPU cores are shared; integration tests start servers and talk to one Redis.
    maxWorkers: 2,
    minWorkers: 1,
    // `*.memory.test.ts` force a garbage collection to prove per-request objects become collectable.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
  },
});
