import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    reporters: ['default', './test/support/summaryReporter.ts'],
    // One shared Azurite; each test file uses its own table prefix, so files can run in parallel.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
