import { defineConfig } from 'vitest/config';

// `bpds-source` (package.json "exports") resolves `import 'bpds/...'` to src/, so tests,
// examples and README snippets import the package by name without a build.
// No `module` condition: it is a bundler convention, and packages such as @aws-sdk/* point it at
// builds Node cannot load (extensionless ESM imports).
const conditions = ['bpds-source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['bpds-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Fail the test during which any promise rejection goes unhandled (issue 12, finding 3).
    setupFiles: ['test/setup-unhandled.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
