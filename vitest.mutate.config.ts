import { defineConfig } from 'vitest/config';

// The test run Stryker uses for `npm run mutate` (stryker.config.json): the unit, property and
// model tests. Left out: tests that drive a browser, run the examples in child processes or
// check the source tree's layout; they exercise no mutated code in the test process.
// BPDS_MUTATE_TESTS (comma-separated globs) narrows the run to the tests of one folder, e.g.
// `BPDS_MUTATE_TESTS='test/pairing*.test.ts,test/cpabe-*.test.ts'` for src/pairing.
const only = process.env.BPDS_MUTATE_TESTS?.split(',').filter((s) => s.length > 0);

export default defineConfig({
  test: {
    include: only && only.length > 0 ? only : ['test/**/*.test.ts'],
    exclude: ['test/browser.test.ts', 'test/examples.test.ts', 'test/architecture.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
