import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'client-demo/test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites open real sockets and databases; keep parallelism modest on 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
  },
});
