import { defineConfig } from 'tsup';

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
  },
  format: ['esm', 'cjs'],
  dts: true,
  // Shared chunks keep one copy of the error classes and the WASM state per format,
  // so `instanceof` and `init()` work across subpath imports.
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  external: [
    'mcl-wasm',
    '@noble/hashes',
    '@noble/curves',
    'node:fs',
    'node:fs/promises',
    'node:path',
    'node:os',
    'node:crypto',
  ],
});
