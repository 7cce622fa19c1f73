import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite and the CLI are heavy; two cores here, so keep the pool small.
    maxWorkers: 2,
    // After the summary: why each skipped test was skipped (what to install or set).
    reporters: ['default', './tests/support/skip-reasons-reporter.ts'],
  },
});
