/**
 * G2 subgroup membership on mcl's BN254 by an endomorphism test, about 3.5x cheaper than
 * mcl's own check (a plain multiplication by the 254-bit order r).
 *
 * Method: the "test psi against its eigenvalue with short multiples" family of
 * M. Scott, "A note on group membership tests for G1, G2 and GT on BLS pairing-friendly
 * curves" (ePrint 2021/1130), and Y. El Housni, A. Guillevic, T. Piellard, "Co-factor
 * clearing and subgroup membership testing on pairing-friendly curves" (AFRICACRYPT 2022,
 * ePrint 2022/352). With u = -(2^62 + 2^55 + 1), t = 6u^2 + 1 and psi the
 * untwist-Frobenius-twist endomorphism of the D-type sextic twist E'(Fp2): y^2 = x^3 + 2/xi,
 * xi = 1 + i,
 *     psi(x, y) = (conj(x) xi^((p-1)/3), conj(y) xi^((p-1)/2))      (in Jacobian form also conj(Z)),
 * a point Q of E'(Fp2) is in G2 iff
 *     [u+1]Q + psi([u]Q) + psi^2([u]Q) == psi^3([2u]Q).
 *
 * Why this is exact for THIS curve (checked by test/pairing-subgroup.test.ts, which recomputes
 * every number): psi satisfies psi^2 - t psi + p = 0 on E', so the test's endomorphism
 * f = 2u psi^3 - u psi^2 - u psi - (u+1) reduces to a + b psi. On G2, psi acts as p = t - 1
 * (mod r) and f(p) = 0 (mod r): every point of G2 passes. If f(Q) = 0 then also
 * (a + b psibar)(a + b psi)Q = N Q = 0 with N = a^2 + a b t + b^2 p (psibar = t - psi), so the
 * order of Q divides gcd(N, #E'(Fp2)) where #E'(Fp2) = r (p - 1 + t); that gcd is exactly r,
 * and r^2 does not divide #E'(Fp2), so Q lies in the unique order-r subgroup G2. The cost is
 * one multiplication by |u| (62 doublings, 2 additions), one doubling, three psi maps and
 * four additions, against about 254 doublings for mcl's [r]Q.
 *
 * The multiplications are plain double-and-add through mcl's raw point doubling and
 * addition: mcl's typed `mul`/`mulVec` on G2 use the GLV decomposition, which assumes the
 * point is already in G2 and so must never run on an unchecked point. Internal.
 */
import type * as Mcl from 'mcl-wasm';
import { be } from './backend.js';
import { BN254_P, BN254_U } from './types.js';

/** The raw Emscripten exports this test uses (absent from mcl-wasm's typings). */
interface SubgroupRaw {
  _malloc(bytes: number): number;
  HEAP32: Int32Array;
  _mclBnFp_neg(y: number, x: number): void;
  _mclBnFp2_mul(z: number, x: number, y: number): void;
  _mclBnG2_dbl(y: number, x: number): void;
  _mclBnG2_add(z: number, x: number, y: number): void;
  _mclBnG2_neg(y: number, x: number): void;
  _mclBnG2_isEqual(x: number, y: number): number;
}

/** Byte sizes of mcl-wasm's Fp (12 words), Fp2 and Jacobian G2 point (x, y, z). */
const FP = 48;
const FP2 = 2 * FP;
const G2_WORDS = 72;
const G2_SIZE = 4 * G2_WORDS;

/** A scratch area on the WebAssembly heap (five points and the two psi constants), one per backend. */
interface Scratch {
  readonly raw: SubgroupRaw;
  readonly q: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly cx: number;
  readonly cy: number;
}

let scratch: Scratch | undefined;
let scratchFor: unknown;

const P = BN254_P;
const mod = (x: bigint): bigint => ((x % P) + P) % P;
type Fp2 = readonly [bigint, bigint];
const fp2Mul = ([a, b]: Fp2, [c, d]: Fp2): Fp2 => [mod(a * c - b * d), mod(a * d + b * c)];
function fp2Pow(x: Fp2, e: bigint): Fp2 {
  let acc: Fp2 = [1n, 0n];
  let base = x;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) acc = fp2Mul(acc, base);
    base = fp2Mul(base, base);
  }
  return acc;
}

/** The psi constants xi^((p-1)/3) and xi^((p-1)/2), xi = 1 + i. Exported for the tests. */
export const BN254_PSI: { readonly cx: Fp2; readonly cy: Fp2 } = Object.freeze({
  cx: fp2Pow([1n, 1n], (P - 1n) / 3n),
  cy: fp2Pow([1n, 1n], (P - 1n) / 2n),
});

function getScratch(): Scratch {
  const b = be();
  if (scratch !== undefined && scratchFor === b) return scratch;
  const raw = b.raw as unknown as SubgroupRaw;
  // Allocated once per loaded module and never freed: 1.6 KiB for the life of the process.
  const base = raw._malloc(5 * G2_SIZE + 2 * FP2);
  const s: Scratch = {
    raw,
    q: base,
    a: base + G2_SIZE,
    b: base + 2 * G2_SIZE,
    c: base + 3 * G2_SIZE,
    d: base + 4 * G2_SIZE,
    cx: base + 5 * G2_SIZE,
    cy: base + 5 * G2_SIZE + FP2,
  };
  const put = (pos: number, [x, y]: Fp2) => {
    const f = new b.mcl.Fp2();
    f.setStr(`${x.toString(16)} ${y.toString(16)}`, 16);
    const w = (f as unknown as { a_: Uint32Array }).a_;
    raw.HEAP32.set(new Int32Array(w.buffer, w.byteOffset, (2 * FP) / 4), pos >> 2);
  };
  put(s.cx, BN254_PSI.cx);
  put(s.cy, BN254_PSI.cy);
  scratch = s;
  scratchFor = b;
  return s;
}

/** dst = psi(src), in Jacobian coordinates (conjugation is a field automorphism, so Z is conjugated too). */
function psi(s: Scratch, dst: number, src: number): void {
  const { raw } = s;
  if (dst !== src) raw.HEAP32.copyWithin(dst >> 2, src >> 2, (src + G2_SIZE) >> 2);
  raw._mclBnFp_neg(dst + FP, dst + FP);
  raw._mclBnFp_neg(dst + FP2 + FP, dst + FP2 + FP);
  raw._mclBnFp_neg(dst + 2 * FP2 + FP, dst + 2 * FP2 + FP);
  raw._mclBnFp2_mul(dst, dst, s.cx);
  raw._mclBnFp2_mul(dst + FP2, dst + FP2, s.cy);
}

/** |u| = 2^62 + 2^55 + 1: bits below the top one, most significant first, as "add Q after this doubling". */
const ABS_U = -BN254_U;
const U_BITS = ABS_U.toString(2).slice(1);

/**
 * Whether a point of the twist E'(Fp2) (already known to be on the curve: mcl's decoder checks
 * the equation) lies in G2, the order-r subgroup. Costs about 0.15 ms in mcl-wasm (mcl's
 * isValidOrder: about 0.55 ms). The identity passes (it is in every subgroup).
 */
export function bn254G2InSubgroup(Q: Mcl.G2): boolean {
  const s = getScratch();
  const { raw } = s;
  const w = (Q as unknown as { a_: Uint32Array }).a_;
  raw.HEAP32.set(new Int32Array(w.buffer, w.byteOffset, G2_WORDS), s.q >> 2);
  // A = [|u|]Q by double-and-add, then A = [u]Q.
  raw.HEAP32.copyWithin(s.a >> 2, s.q >> 2, (s.q + G2_SIZE) >> 2);
  for (let i = 0; i < U_BITS.length; i++) {
    raw._mclBnG2_dbl(s.a, s.a);
    if (U_BITS.charCodeAt(i) === 49) raw._mclBnG2_add(s.a, s.a, s.q);
  }
  raw._mclBnG2_neg(s.a, s.a);
  psi(s, s.b, s.a); // B = psi([u]Q)
  psi(s, s.c, s.b); // C = psi^2([u]Q)
  raw._mclBnG2_dbl(s.d, s.c);
  psi(s, s.d, s.d); // D = psi^3([2u]Q)
  raw._mclBnG2_add(s.a, s.a, s.q); // [u+1]Q
  raw._mclBnG2_add(s.a, s.a, s.b);
  raw._mclBnG2_add(s.a, s.a, s.c);
  return raw._mclBnG2_isEqual(s.a, s.d) === 1;
}
