/**
 * G1, G2 and GT: group operations, multi-scalar multiplication and canonical
 * encodings. BN254: G1 32 bytes, G2 64 bytes (mcl's compressed form), GT 384 bytes.
 * BLS12-381: the standard compressed forms of ZCash and the IETF pairing-friendly
 * curves draft (G1 48 bytes, G2 96 bytes, big-endian x with the flag bits
 * compressed = 0x80, infinity = 0x40, sign = 0x20 in the first byte), GT 576 bytes.
 *
 * Decoding checks length, that the point is on the curve and in the order-r
 * subgroup (BN254 G2: the endomorphism test of subgroup.ts; BLS12-381 G1 and G2:
 * mcl's order checks, on since init), canonical form (decode then re-encode must
 * give the same bytes) and, unless allowed, that it is not the identity.
 */
import type * as Mcl from 'mcl-wasm';
import { InvalidEncodingError } from '../errors.js';
import { equalBytes, fromHex } from '../internal/bytes.js';
import { be } from './backend.js';
import { counter } from './counters.js';
import { loadedCurve } from './curve.js';
import { bn254G2InSubgroup } from './subgroup.js';
import { g2Deferral } from './transfer.js';
import { type Fr, type G1, G1_BYTES, type G2, G2_BYTES, type GT, GT_BYTES } from './types.js';

type AnyM = Mcl.G1 | Mcl.G2 | Mcl.GT | Mcl.Fr;
const m = <T extends AnyM>(x: unknown) => x as T;
const o = <T>(x: unknown) => x as T;

let gens: { g1: G1; g2: G2 } | undefined;
let beRef: unknown;

/** The standard BLS12-381 generators (ZCash / draft-irtf-cfrg-pairing-friendly-curves), compressed. */
const BLS12_381_G1_HEX =
  '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';
const BLS12_381_G2_HEX =
  '93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e' +
  '024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8';

/**
 * Fixed generators. BN254: derived by hashing a public string (mcl has no fixed G1 base
 * point for pairing curves). BLS12-381: the standard generators, so keys interoperate.
 */
function generators(): { g1: G1; g2: G2 } {
  const b = be();
  if (gens === undefined || beRef !== b) {
    if (loadedCurve().name === 'bls12-381') {
      const g1 = new b.mcl.G1();
      g1.deserialize(fromHex(BLS12_381_G1_HEX));
      const g2 = new b.mcl.G2();
      g2.deserialize(fromHex(BLS12_381_G2_HEX));
      gens = { g1: o<G1>(g1), g2: o<G2>(g2) };
    } else {
      gens = {
        g1: o<G1>(b.mcl.hashAndMapToG1('bpds/v1/BN254/generator/G1')),
        g2: o<G2>(b.mcl.hashAndMapToG2('bpds/v1/BN254/generator/G2')),
      };
    }
    beRef = b;
  }
  return gens;
}

/** The fixed generator of G1. */
export const g1Generator = (): G1 => generators().g1;
/** The fixed generator of G2. */
export const g2Generator = (): G2 => generators().g2;

export const g1Identity = (): G1 => o(new (be().mcl.G1)());
export const g2Identity = (): G2 => o(new (be().mcl.G2)());
export const g1Add = (a: G1, b: G1): G1 => o(be().mcl.add(m<Mcl.G1>(a), m<Mcl.G1>(b)));
export const g2Add = (a: G2, b: G2): G2 => o(be().mcl.add(m<Mcl.G2>(a), m<Mcl.G2>(b)));
export const g1Sub = (a: G1, b: G1): G1 => o(be().mcl.sub(m<Mcl.G1>(a), m<Mcl.G1>(b)));
export const g2Sub = (a: G2, b: G2): G2 => o(be().mcl.sub(m<Mcl.G2>(a), m<Mcl.G2>(b)));
export const g1Neg = (a: G1): G1 => o(be().mcl.neg(m<Mcl.G1>(a)));
export const g2Neg = (a: G2): G2 => o(be().mcl.neg(m<Mcl.G2>(a)));
export const g1Mul = (a: G1, s: Fr): G1 => {
  if (counter.on) counter.c.g1Mul++;
  return o(be().mcl.mul(m<Mcl.G1>(a), m<Mcl.Fr>(s)));
};
export const g2Mul = (a: G2, s: Fr): G2 => {
  if (counter.on) counter.c.g2Mul++;
  return o(be().mcl.mul(m<Mcl.G2>(a), m<Mcl.Fr>(s)));
};
export const g1Eq = (a: G1, b: G1): boolean => m<Mcl.G1>(a).isEqual(m<Mcl.G1>(b));
export const g2Eq = (a: G2, b: G2): boolean => m<Mcl.G2>(a).isEqual(m<Mcl.G2>(b));
export const g1IsIdentity = (a: G1): boolean => m<Mcl.G1>(a).isZero();
export const g2IsIdentity = (a: G2): boolean => m<Mcl.G2>(a).isZero();

/** Multi-scalar multiplication sum(points[i] * scalars[i]) (mcl's mulVec); the identity for empty input. */
export function g1Msm(points: readonly G1[], scalars: readonly Fr[]): G1 {
  if (points.length !== scalars.length) throw new RangeError('g1Msm: length mismatch');
  if (points.length === 0) return g1Identity();
  if (counter.on) counter.c.g1MsmPoints += points.length;
  return o(be().mcl.mulVec(points as unknown as Mcl.G1[], scalars as unknown as Mcl.Fr[]));
}

/** Multi-scalar multiplication in G2; the identity for empty input. */
export function g2Msm(points: readonly G2[], scalars: readonly Fr[]): G2 {
  if (points.length !== scalars.length) throw new RangeError('g2Msm: length mismatch');
  if (points.length === 0) return g2Identity();
  if (counter.on) counter.c.g2MsmPoints += points.length;
  return o(be().mcl.mulVec(points as unknown as Mcl.G2[], scalars as unknown as Mcl.Fr[]));
}

export const gtOne = (): GT => {
  const x = new (be().mcl.GT)();
  x.setInt(1);
  return o(x);
};
export const gtMul = (a: GT, b: GT): GT => o(be().mcl.mul(m<Mcl.GT>(a), m<Mcl.GT>(b)));
export const gtDiv = (a: GT, b: GT): GT => o(be().mcl.div(m<Mcl.GT>(a), m<Mcl.GT>(b)));
export const gtInv = (a: GT): GT => o(be().mcl.inv(m<Mcl.GT>(a)));
export const gtPow = (a: GT, s: Fr): GT => {
  if (counter.on) counter.c.gtPow++;
  return o(be().mcl.pow(m<Mcl.GT>(a), m<Mcl.Fr>(s)));
};
export const gtEq = (a: GT, b: GT): boolean => m<Mcl.GT>(a).isEqual(m<Mcl.GT>(b));
export const gtIsOne = (a: GT): boolean => m<Mcl.GT>(a).isOne();

export const g1ToBytes = (a: G1): Uint8Array => m<Mcl.G1>(a).serialize();
export const g2ToBytes = (a: G2): Uint8Array => m<Mcl.G2>(a).serialize();
/** 384-byte encoding of a GT element: key-derivation input, never decoded from untrusted bytes. */
export const gtToBytes = (a: GT): Uint8Array => m<Mcl.GT>(a).serialize();

/** Options for point decoding. */
export interface PointDecodeOptions {
  /** Accept the identity (point at infinity). Default false. */
  allowIdentity?: boolean;
  /**
   * G2 only: skip the subgroup test (the point is still checked to be on the twist and
   * canonical). Only for a caller that later proves membership another way before the point
   * can influence anything observable: the CCA check's exact comparison of each such point
   * with a point it computes in G2 (see docs/cpabe.md, "Validating G2 points at a lower
   * price"). Default false.
   */
  deferSubgroupCheck?: boolean;
}

/** BN254 (G1 cofactor 1, G2 checked by subgroup.ts) or BLS12-381 (mcl's order checks). */
const isBn254 = (): boolean => loadedCurve().name === 'bn254';

function decodePoint<T extends Mcl.G1 | Mcl.G2>(
  C: new () => T,
  size: number,
  group: string,
  b: Uint8Array,
  what: string,
  opts?: PointDecodeOptions,
  subgroupCheck = true,
): T {
  if (!(b instanceof Uint8Array) || b.length !== size) {
    throw new InvalidEncodingError(
      `${what}: ${group} point expected ${size} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`,
    );
  }
  const x = new C();
  try {
    // G2: mcl's deserialize checks the twist equation (decompression); membership in the
    // order-r subgroup is the endomorphism test of subgroup.ts (mcl's own order check is off
    // since init). G1: BN254's G1 = E(Fp) has prime order r (cofactor 1), so the curve
    // equation, checked by deserialize and again by the cheap isValid, is the subgroup check.
    // One subgroup check per point.
    // BLS12-381: both groups have cofactors, and mcl's deserialize checks the curve
    // equation AND the order (verifyOrderG1/G2 on since init; not deferrable).
    x.deserialize(b);
    if (isBn254()) {
      if (size === G1_BYTES && !x.isValid()) throw new Error('not on the curve');
      if (size === G2_BYTES && subgroupCheck && opts?.deferSubgroupCheck !== true && !bn254G2InSubgroup(x as Mcl.G2))
        throw new Error('not in the order-r subgroup');
    }
  } catch (cause) {
    throw new InvalidEncodingError(
      `${what}: not a valid ${group} point (off the curve, outside the subgroup, or malformed)`,
      { cause },
    );
  }
  if (!equalBytes(x.serialize(), b)) throw new InvalidEncodingError(`${what}: non-canonical ${group} encoding`);
  if (opts?.allowIdentity !== true && x.isZero())
    throw new InvalidEncodingError(`${what}: ${group} identity is not allowed`);
  return x;
}

/** Decode a canonical G1 point. @throws {InvalidEncodingError} naming what was wrong. */
export function g1FromBytes(b: Uint8Array, what = 'G1', opts?: PointDecodeOptions): G1 {
  if (counter.on) counter.c.g1Decode++;
  return o(decodePoint(be().mcl.G1, G1_BYTES, 'G1', b, what, opts));
}

/** Decode a canonical G2 point with the subgroup check (subgroup.ts, ~0.3 ms in all). @throws {InvalidEncodingError}. */
export function g2FromBytes(b: Uint8Array, what = 'G2', opts?: PointDecodeOptions): G2 {
  if (counter.on) {
    if (opts?.deferSubgroupCheck === true) counter.c.g2DecodeDeferred++;
    else counter.c.g2Decode++;
  }
  const deferred = g2Deferral.list;
  // A point whose subgroup test the CCA check's exact comparison performs is never recorded.
  if (deferred === null || opts?.deferSubgroupCheck === true) {
    return o(decodePoint(be().mcl.G2, G2_BYTES, 'G2', b, what, opts));
  }
  // bpds/workers (transfer.ts): the subgroup check is deferred, recorded, and done later.
  const x = decodePoint(be().mcl.G2, G2_BYTES, 'G2', b, what, opts, false);
  deferred.push({ bytes: b.slice(), what, allowIdentity: opts?.allowIdentity === true });
  return o(x);
}

/**
 * Decode a GT element AND check that it lies in the order-r subgroup
 * (x^r = 1, about one GT exponentiation). mcl's own GT decoder accepts any Fp12
 * value, so this is the only GT decoder bpds uses, and only for public-key
 * material; ciphertexts never carry GT elements that are decoded.
 * @throws {InvalidEncodingError}
 */
export function gtFromBytes(b: Uint8Array, what = 'GT'): GT {
  const { mcl } = be();
  if (!(b instanceof Uint8Array) || b.length !== GT_BYTES) {
    throw new InvalidEncodingError(`${what}: GT element expected ${GT_BYTES} bytes`);
  }
  const x = new mcl.GT();
  try {
    x.deserialize(b);
  } catch (cause) {
    throw new InvalidEncodingError(`${what}: malformed GT element`, { cause });
  }
  if (!equalBytes(x.serialize(), b) || x.isZero()) throw new InvalidEncodingError(`${what}: non-canonical GT element`);
  const rMinus1 = new mcl.Fr();
  rMinus1.setStr((loadedCurve().r - 1n).toString(16), 16);
  // x^(r-1) * x = x^r must be 1 for x in the order-r subgroup.
  if (!mcl.mul(mcl.pow(x, rMinus1), x).isOne()) {
    throw new InvalidEncodingError(`${what}: GT element outside the order-r subgroup`);
  }
  return o(x);
}
