import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own auth service; two at a time is what two cores carry.
    maxWorkers: 2,
  },
});
