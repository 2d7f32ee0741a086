import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'apps/server/faults/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
    ],
    // Suites drive real databases, servers and Chromium on a 2-core CI machine; a timeout is a hang guard, not a speed check.
    testTimeout: 60_000,
    // Vitest's default on 2 cores is one worker; the suites mostly wait on databases, servers and
    // Chromium, so two files at a time keep both cores busy. Each file has its own schema, ports and data dir.
    maxWorkers: 2,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
