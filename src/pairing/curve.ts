/**
 * The two pairing-friendly curves bpds runs on, and which one this process loaded.
 *
 * - `'bn254'`: mcl's BN254, the Barreto–Naehrig curve (Barreto, Naehrig, SAC 2005) with
 *   u = -(2^62 + 2^55 + 1) (RELIC/OpenABE "BN_P254"; NOT Ethereum's alt_bn128). About 100 bits
 *   of security after the exTNFS attacks (Kim, Barbulescu, CRYPTO 2016; estimate by
 *   Barbulescu, Duquesne, "Updating Key Size Estimations for Pairings", J. Cryptology 32, 2019).
 * - `'bls12-381'`: the Barreto–Lynn–Scott curve BLS12-381 (Barreto, Lynn, Scott, SCN 2002;
 *   parameters by S. Bowe, 2017) with u = -0xd201000000010000, as in ZCash, Ethereum and
 *   draft-irtf-cfrg-pairing-friendly-curves: about 126 bits (Guillevic, Masson, Thomé, "Cocks–Pinch
 *   curves of embedding degrees five to eight and optimal ate pairing computation", Designs, Codes
 *   and Cryptography 88, 2020), slightly below the nominal 128. See docs/pairing-curves.md.
 *
 * mcl-wasm keeps one curve per process (module-global state; every value is a raw word array
 * interpreted by whichever curve is loaded), so {@link loadedCurve} is fixed by the first
 * `init()`.
 */
import { InvalidArgumentError, NotInitializedError } from '../errors.js';

/** The curves bpds supports. */
export type CurveName = 'bn254' | 'bls12-381';

/** Every supported curve name, default first. */
export const CURVE_NAMES: readonly CurveName[] = ['bn254', 'bls12-381'];

/** Fixed parameters of a supported curve. */
export interface CurveParams {
  /** Public name. */
  readonly name: CurveName;
  /** Display name, e.g. in error messages. */
  readonly label: string;
  /** The one-byte curve id written in every bpds encoding. */
  readonly id: number;
  /** The prime order r of G1, G2 and GT. */
  readonly r: bigint;
  /** Encoded sizes in bytes. */
  readonly g1Bytes: number;
  readonly g2Bytes: number;
  readonly gtBytes: number;
  readonly frBytes: number;
}

/** The mcl BN254 curve parameter u = -(2^62 + 2^55 + 1). */
export const BN254_U = -((1n << 62n) + (1n << 55n) + 1n);
const u = BN254_U;
/** The prime group order r = 36u^4 + 36u^3 + 18u^2 + 6u + 1 of BN254's G1, G2 and GT. */
export const BN254_R = 36n * u ** 4n + 36n * u ** 3n + 18n * u ** 2n + 6n * u + 1n;
/** BN254's base field prime p = 36u^4 + 36u^3 + 24u^2 + 6u + 1. */
export const BN254_P = 36n * u ** 4n + 36n * u ** 3n + 24n * u ** 2n + 6n * u + 1n;

/** The BLS12-381 curve parameter u = -0xd201000000010000. */
export const BLS12_381_U = -0xd201000000010000n;
const z = BLS12_381_U;
/** The prime group order r = u^4 - u^2 + 1 of BLS12-381's G1, G2 and GT (255 bits). */
export const BLS12_381_R = z ** 4n - z ** 2n + 1n;
/** BLS12-381's base field prime p = (u - 1)^2 (u^4 - u^2 + 1) / 3 + u (381 bits). */
export const BLS12_381_P = ((z - 1n) ** 2n * BLS12_381_R) / 3n + z;

/** The parameters of each supported curve. */
export const CURVES: Readonly<Record<CurveName, CurveParams>> = Object.freeze({
  bn254: Object.freeze({
    name: 'bn254',
    label: 'BN254',
    id: 1,
    r: BN254_R,
    g1Bytes: 32,
    g2Bytes: 64,
    gtBytes: 384,
    frBytes: 32,
  }),
  'bls12-381': Object.freeze({
    name: 'bls12-381',
    label: 'BLS12-381',
    id: 2,
    r: BLS12_381_R,
    g1Bytes: 48,
    g2Bytes: 96,
    gtBytes: 576,
    frBytes: 32,
  }),
});

/** The curve with encoding id `id`, or undefined. */
export function curveById(id: number): CurveParams | undefined {
  return CURVE_NAMES.map((n) => CURVES[n]).find((c) => c.id === id);
}

/** Whether `x` names a supported curve. */
export function isCurveName(x: unknown): x is CurveName {
  return typeof x === 'string' && (CURVE_NAMES as readonly string[]).includes(x);
}

/**
 * The `CurveName` given by a caller, or InvalidArgumentError naming the supported ones.
 * @throws {InvalidArgumentError} when `x` is not a supported curve name.
 */
export function parseCurveName(x: unknown, what = 'curve'): CurveName {
  if (!isCurveName(x)) {
    throw new InvalidArgumentError(
      `${what}: unsupported curve ${typeof x === 'string' ? JSON.stringify(x) : typeof x} (expected ${CURVE_NAMES.map((n) => `'${n}'`).join(' or ')})`,
    );
  }
  return x;
}

let loaded: CurveParams | undefined;

/** Record the curve init() loaded. Internal (backend.ts). */
export function setLoadedCurve(c: CurveParams): void {
  loaded = c;
}

/**
 * The curve this process loaded with `init()`.
 * @throws {NotInitializedError} before `init()`.
 */
export function loadedCurve(): CurveParams {
  if (loaded === undefined) throw new NotInitializedError();
  return loaded;
}

/** The curve loaded, or undefined before `init()`. */
export function loadedCurveOrUndefined(): CurveParams | undefined {
  return loaded;
}

/** The prime order r of the loaded curve's groups. @throws {NotInitializedError} before `init()`. */
export function groupOrder(): bigint {
  return loadedCurve().r;
}
