import { configDefaults, defineConfig } from 'vitest/config';

// `bpds-source` (package.json "exports") resolves `import 'bpds/...'` to src/, so tests,
// examples and README snippets import the package by name without a build.
// No `module` condition: it is a bundler convention, and packages such as @aws-sdk/* point it at
// builds Node cannot load (extensionless ESM imports).
const conditions = ['bpds-source', 'node', 'import', 'default'];

// Fail the test during which any promise rejection goes unhandled (issue 12, finding 3).
const setupUnhandled = 'test/setup-unhandled.ts';

// Two curves, one per process (mcl-wasm holds one; docs/architecture.md). The `bn254` project runs
// every test file; the `bls12-381` project runs the curve-dependent ones again with BLS12-381
// loaded by its setup file before each test file is imported (each file has its own process:
// pool `forks`, isolation on), plus the BLS12-381-only files (`*.bls12-381.test.ts`: RFC 9380
// vectors, encodings, KATs). Its property tests run a third of the default fast-check runs
// (test/helpers.ts `runs`); FUZZ_RUNS gives both curves the full counts.
const BLS12_381_FILES = [
  'test/curves/*.test.ts',
  'test/cpabe-api.test.ts',
  'test/cpabe-bsw07.test.ts',
  'test/cpabe-dense-policy.test.ts',
  'test/cpabe-encoding.test.ts',
  'test/cpabe-fame-core.test.ts',
  'test/cpabe-fo-check.test.ts',
  'test/cpabe-master-key.test.ts',
  'test/cpabe-sharing.test.ts',
  'test/cpabe-stream.test.ts',
  'test/cpabe-tamper.test.ts',
  'test/cpabe-waters11.test.ts',
  'test/ces.test.ts',
  'test/ces-forgery.test.ts',
  'test/ces-property.test.ts',
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['bpds-source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'bn254',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/**/*.bls12-381.test.ts'],
          setupFiles: [setupUnhandled],
        },
      },
      {
        extends: true,
        test: {
          name: 'bls12-381',
          include: BLS12_381_FILES,
          setupFiles: [setupUnhandled, 'test/setup-bls12-381.ts'],
          env: { BPDS_TEST_CURVE: 'bls12-381' },
          // pairings cost about twice BN254's: the same tests get more time on a loaded machine
          testTimeout: 120_000,
        },
      },
    ],
  },
});
