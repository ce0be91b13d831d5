import { defineConfig } from 'vitest/config';

/**
 * `npm run test:e2e`: the demo page in Debian's Chromium (test/e2e, through playwright-core). The client's
 * own unit tests (client-demo/test) run in `npm test`. One file at a time: browsers are heavy on 2 cores.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
