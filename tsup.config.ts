import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** The package version, compiled into `bpds --version`. */
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * ESM-only build (docs/architecture.md, "One module state"): one copy of every module,
 * so one WASM state and one set of error classes serve `import` and `require` alike
 * (Node >= 20.19 loads ESM from `require`). Declarations come from `tsc -p
 * tsconfig.build.json` (dist/types mirrors src/), not from a bundled .d.ts.
 *
 * One entry per subpath of package.json "exports"; add a line here and there together.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    policy: 'src/policy/index.ts',
    cpabe: 'src/cpabe/index.ts',
    ces: 'src/ces/index.ts',
    'index-record': 'src/index-record/index.ts',
    chain: 'src/chain/index.ts',
    protocol: 'src/protocol/index.ts',
    errors: 'src/errors.ts',
    node: 'src/node/index.ts',
    evm: 'src/evm/index.ts',
    // the `bpds` command (package.json "bin"), not a subpath
    cli: 'src/cli/bin.ts',
    s3: 'src/s3/index.ts',
    workers: 'src/workers/index.ts',
    // the worker script bpds/workers starts (new URL('./worker.js', import.meta.url)), not a subpath
    worker: 'src/workers/worker.ts',
  },
  format: ['esm'],
  define: { __BPDS_VERSION__: JSON.stringify(version) },
  dts: false,
  // Shared chunks keep one copy of the error classes and the WASM state.
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  // Class names in messages and `.name` stay the real ones (no `_SecretKey`).
  keepNames: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['mcl-wasm', '@noble/hashes', '@noble/curves', /^node:/, 'viem', /^viem\//, '@aws-sdk/client-s3'],
});
