/**
 * Loading the mcl-wasm backend: the only file in bpds that imports `mcl-wasm`.
 *
 * bpds uses mcl's `BN254` curve: the Barreto–Naehrig curve with
 * u = -(2^62 + 2^55 + 1), the one RELIC and OpenABE call BN_P254. It is NOT
 * Ethereum's alt_bn128 (mcl's `BN_SNARK1`, which `@noble/curves/bn254`
 * implements): point encodings differ, and mcl's BN254 pairing is about 1.6x
 * faster than BN_SNARK1 on the same machine. Security: about 100 bits after the
 * 2016 exTNFS improvements.
 *
 * The WASM is loaded by a dynamic `import()` inside {@link init}, so modules that
 * never call it (policy, index-record) never load WASM, and nothing here runs at
 * import time.
 */
import type * as Mcl from 'mcl-wasm';
import { NotInitializedError } from '../errors.js';

/** The raw Emscripten module: only the members bpds uses. */
export interface RawModule {
  _mclBn_millerLoopVec(z: number, xs: number, ys: number, n: number): void;
  stackSave(): number;
  stackRestore(p: number): void;
  salloc(a: Uint32Array): number;
  sallocArray(a: Uint32Array[]): number;
  copyFromHeap32(a: Uint32Array, pos: number): void;
}

/** The loaded backend: mcl-wasm's typed API plus the raw module. */
export interface Backend {
  readonly mcl: typeof Mcl;
  readonly raw: RawModule;
}

let backend: Backend | undefined;
let loading: Promise<void> | undefined;

async function load(): Promise<void> {
  const ns = (await import('mcl-wasm')) as unknown as typeof Mcl & { default?: typeof Mcl };
  // CJS interop: Node and bundlers expose module.exports as `default`; read the
  // live object, never a snapshot of named exports taken before init.
  const mcl = (ns.default ?? ns) as typeof Mcl;
  await mcl.init(mcl.BN254);
  const rawNs = (await import('mcl-wasm/dist/mcl.js')) as unknown as { default?: { mod?: RawModule }; mod?: RawModule };
  const raw = rawNs.default?.mod ?? rawNs.mod;
  if (raw === undefined || typeof raw._mclBn_millerLoopVec !== 'function') {
    throw new Error('mcl-wasm raw module does not export _mclBn_millerLoopVec');
  }
  // mcl's order checks on deserialization are OFF for both groups; bpds's decoders
  // (groups.ts) check instead. G1 of BN254 is all of E(Fp), of prime order r
  // (cofactor 1): the curve equation is the subgroup check. G2 (cofactor not 1):
  // every decoded point goes through the endomorphism test of subgroup.ts, exact for
  // this curve and about 3.5x cheaper than mcl's [r]Q check.
  mcl.verifyOrderG1(false);
  mcl.verifyOrderG2(false);
  backend = { mcl, raw };
}

/**
 * Load the WebAssembly pairing backend (mcl-wasm, curve BN254). Call once before
 * any CP-ABE or aggregate-signature operation; every operation after it is
 * synchronous.
 *
 * Memoized and idempotent: concurrent calls share one promise, later calls
 * resolve immediately, and a failed load can be retried.
 *
 * @throws {Error} when the WebAssembly module cannot be instantiated (the
 *   promise rejects; calling `init()` again retries).
 * @example
 * ```ts
 * import { init } from 'bpds';
 * await init();
 * ```
 */
export function init(): Promise<void> {
  if (backend !== undefined) return Promise.resolve();
  if (loading === undefined) {
    loading = load().catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
  }
  return loading;
}

/**
 * Whether {@link init} has completed.
 *
 * @example
 * ```ts
 * import { init, isInitialized } from 'bpds';
 * if (!isInitialized()) await init();
 * ```
 */
export function isInitialized(): boolean {
  return backend !== undefined;
}

/** The loaded backend, or `NotInitializedError`. Internal. */
export function be(): Backend {
  if (backend === undefined) throw new NotInitializedError();
  return backend;
}
