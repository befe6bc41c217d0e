import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Generous: starting an auth service (PGlite, migrations, an RSA key) takes seconds, and far more
    // on a busy shared CI machine; a timeout here is never a measurement.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own auth service; two at a time is what two cores carry.
    maxWorkers: 2,
  },
});
