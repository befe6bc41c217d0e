import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real servers (PGlite, redis-server, child processes); on a busy two-core CI
    // machine that takes far longer than vitest's defaults. A timeout here is never a measurement.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
