import { defineConfig } from 'vitest/config';

// The test run Stryker uses for `npm run mutate` (stryker.config.json): the unit, property and
// model tests. Left out: tests that drive a browser, run the examples in child processes or
// check the source tree's layout; they exercise no mutated code in the test process.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser.test.ts', 'test/examples.test.ts', 'test/architecture.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
