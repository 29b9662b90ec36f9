/**
 * Loading the mcl-wasm backend: the only file in bpds that imports `mcl-wasm`.
 *
 * Two curves (src/pairing/curve.ts): mcl's `BN254`, the Barreto–Naehrig curve with
 * u = -(2^62 + 2^55 + 1), the one RELIC and OpenABE call BN_P254 (NOT Ethereum's
 * alt_bn128, mcl's `BN_SNARK1`; about 100 bits of security after the 2016 exTNFS
 * improvements), and `BLS12_381` (about 126 bits), with the ZCash/IETF compressed
 * point encodings and RFC 9380 hash-to-curve.
 *
 * One curve per process: mcl-wasm keeps the curve in module-global state and its
 * values are raw word arrays with the same length on both curves, so a value made
 * on one curve would be silently misread on the other. The first `init()` fixes the
 * curve; a later `init()` naming another one is an error (docs/architecture.md).
 *
 * The WASM is loaded by a dynamic `import()` inside {@link init}, so modules that
 * never call it (policy, index-record) never load WASM, and nothing here runs at
 * import time.
 */
import type * as Mcl from 'mcl-wasm';
import { InvalidArgumentError, NotInitializedError } from '../errors.js';
import {
  CURVES,
  type CurveName,
  type CurveParams,
  loadedCurveOrUndefined,
  parseCurveName,
  setLoadedCurve,
} from './curve.js';
import { applyCurveSizes } from './types.js';

/** The raw Emscripten module: only the members bpds uses. */
export interface RawModule {
  _mclBn_millerLoopVec(z: number, xs: number, ys: number, n: number): void;
  _mclBnG1_hashAndMapToWithDst(p: number, msg: number, msgSize: number, dst: number, dstSize: number): number;
  _mclBnG2_hashAndMapToWithDst(p: number, msg: number, msgSize: number, dst: number, dstSize: number): number;
  _malloc(n: number): number;
  _free(p: number): void;
  readonly HEAP8: Int8Array;
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
let loading: { promise: Promise<void>; curve: CurveParams } | undefined;

/** mcl's map-to mode for RFC 9380 hash-to-curve (SSWU with isogeny; MCL_MAP_TO_MODE_HASH_TO_CURVE). */
const MAP_TO_MODE_RFC9380 = 5;

async function load(curve: CurveParams): Promise<void> {
  const ns = (await import('mcl-wasm')) as unknown as typeof Mcl & { default?: typeof Mcl };
  // CJS interop: Node and bundlers expose module.exports as `default`; read the
  // live object, never a snapshot of named exports taken before init.
  const mcl = (ns.default ?? ns) as typeof Mcl;
  await mcl.init(curve.name === 'bls12-381' ? mcl.BLS12_381 : mcl.BN254);
  const rawNs = (await import('mcl-wasm/dist/mcl.js')) as unknown as { default?: { mod?: RawModule }; mod?: RawModule };
  const raw = rawNs.default?.mod ?? rawNs.mod;
  if (raw === undefined || typeof raw._mclBn_millerLoopVec !== 'function') {
    throw new Error('mcl-wasm raw module does not export _mclBn_millerLoopVec');
  }
  if (curve.name === 'bls12-381') {
    // The standard compressed encodings (ZCash / IETF pairing-friendly-curves draft: 48-byte
    // G1, 96-byte G2, big-endian, flag bits compressed|infinity|sign) and RFC 9380
    // hash-to-curve (BLS12381G1/G2_XMD:SHA-256_SSWU_RO_, hash.ts passes the DST). G1 of
    // BLS12-381 has a cofactor (about 2^125), so BOTH of mcl's order checks are on (the
    // endomorphism test of subgroup.ts is for BN254 only).
    mcl.setETHserialization(true);
    mcl.setMapToMode(MAP_TO_MODE_RFC9380);
    mcl.verifyOrderG1(true);
    mcl.verifyOrderG2(true);
  } else {
    // BN254: mcl's order checks on deserialization are OFF for both groups; bpds's
    // decoders (groups.ts) check instead. G1 of BN254 is all of E(Fp), of prime order r
    // (cofactor 1): the curve equation is the subgroup check. G2 (cofactor not 1):
    // every decoded point goes through the endomorphism test of subgroup.ts, exact for
    // this curve and about 3.5x cheaper than mcl's [r]Q check.
    mcl.verifyOrderG1(false);
    mcl.verifyOrderG2(false);
  }
  applyCurveSizes(curve);
  setLoadedCurve(curve);
  backend = { mcl, raw };
}

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * The pairing curve for this process: `'bn254'` (the default) or `'bls12-381'`.
   * Omitted: the curve already loaded, or `'bn254'` if none is.
   */
  curve?: CurveName;
}

function parseInitOptions(options: unknown): CurveParams | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(
      `init: options must be an object such as { curve: 'bls12-381' }, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  const unknown = Object.keys(options).filter((k) => k !== 'curve');
  if (unknown.length > 0) throw new InvalidArgumentError(`init: unknown option ${JSON.stringify(unknown[0])}`);
  const c = (options as { curve?: unknown }).curve;
  return c === undefined ? undefined : CURVES[parseCurveName(c, 'init')];
}

/**
 * Load the WebAssembly pairing backend (mcl-wasm) on a curve: `init()` or
 * `init({ curve: 'bn254' })` for BN254, `init({ curve: 'bls12-381' })` for BLS12-381.
 * Call once before any CP-ABE or aggregate-signature operation; every operation after
 * it is synchronous.
 *
 * One curve per process (mcl-wasm's state is global): the first call fixes it. Later
 * calls naming the same curve, or none, resolve immediately; concurrent calls share
 * one promise; a failed load can be retried. Keys, ciphertexts and signatures of the
 * other curve are rejected with `CurveMismatchError`.
 *
 * @param options - `{ curve }`; omitted: the curve already loaded, else `'bn254'`.
 * @throws {InvalidArgumentError} (the promise rejects) for an unknown option or curve
 *   name, or a curve other than the one already loaded (or being loaded).
 * @throws {Error} when the WebAssembly module cannot be instantiated (the
 *   promise rejects; calling `init()` again retries).
 * @example
 * ```ts
 * import { init } from 'bpds';
 * await init({ curve: 'bls12-381' });
 * ```
 */
export function init(options?: InitOptions): Promise<void> {
  let wanted: CurveParams | undefined;
  try {
    wanted = parseInitOptions(options);
  } catch (e) {
    return Promise.reject(e);
  }
  const current = loadedCurveOrUndefined() ?? loading?.curve;
  if (wanted !== undefined && current !== undefined && wanted !== current) {
    return Promise.reject(
      new InvalidArgumentError(
        `init: this process already loaded curve ${current.name}; ${wanted.name} needs its own process or worker (mcl-wasm holds one curve per process)`,
      ),
    );
  }
  if (backend !== undefined) return Promise.resolve();
  if (loading === undefined) {
    const curve = wanted ?? CURVES.bn254;
    const promise = load(curve).catch((e: unknown) => {
      loading = undefined;
      throw e;
    });
    loading = { promise, curve };
  }
  return loading.promise;
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
