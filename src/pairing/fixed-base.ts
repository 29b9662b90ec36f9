/**
 * Fixed-base multiplication by the G2 generator: s·h from a precomputed window table
 * (the fixed-base windowing of E. F. Brickell, D. M. Gordon, K. S. McCurley, D. B. Wilson,
 * "Fast exponentiation with precomputation", EUROCRYPT 1992, in its simplest form).
 *
 * The table holds d·2^(6j)·h for every 6-bit window j (43 windows cover the 254-bit
 * order) and digit d = 1..63, normalized to affine form so each step is one mixed point
 * addition: s·h = sum_j T[j][s_j], 43 additions, against the ~254 doublings and additions
 * of a variable-base multiplication. The table (2,709 points, 780 KB of WebAssembly heap) is
 * built on first use, once per process (about 10 ms), and never freed.
 *
 * Values: the result equals mcl's `mul(h, s)` as a point, so every encoding is unchanged.
 * Timing: like mcl's `mul`, not constant time (every scalar takes the same 43 additions, a
 * zero digit adding the identity, but the table index depends on the digit). Internal.
 */
import type * as Mcl from 'mcl-wasm';
import { be } from './backend.js';
import { counter } from './counters.js';
import { loadedCurve } from './curve.js';
import { g2Generator } from './groups.js';
import type { Fr, G2 } from './types.js';

interface FixedRaw {
  _malloc(bytes: number): number;
  HEAP32: Int32Array;
  _mclBnG2_add(z: number, x: number, y: number): void;
  _mclBnG2_dbl(y: number, x: number): void;
  _mclBnG2_normalizeVec(y: number, x: number, n: number): void;
}

const W = 6;
const WINDOWS = 43; // 6 * 43 = 258 >= 254 bits
const DIGITS = (1 << W) - 1;
const G2_WORDS = 72;
const G2_SIZE = 4 * G2_WORDS;

interface Table {
  readonly raw: FixedRaw;
  readonly table: number;
  readonly acc: number;
  readonly zero: number;
  readonly base: unknown;
  readonly backend: unknown;
}
let built: Table | undefined;

const o = <T>(x: unknown) => x as T;
const words = (x: unknown): Uint32Array => (x as { a_: Uint32Array }).a_;

function table(): Table {
  const b = be();
  const h = g2Generator();
  if (built !== undefined && built.backend === b && built.base === h) return built;
  const raw = b.raw as unknown as FixedRaw;
  const t = raw._malloc(WINDOWS * DIGITS * G2_SIZE + 3 * G2_SIZE);
  const acc = t + WINDOWS * DIGITS * G2_SIZE;
  const base = acc + G2_SIZE;
  const zero = base + G2_SIZE;
  raw.HEAP32.fill(0, zero >> 2, (zero + G2_SIZE) >> 2); // the identity (z = 0)
  const w = words(h);
  raw.HEAP32.set(new Int32Array(w.buffer, w.byteOffset, G2_WORDS), base >> 2);
  for (let j = 0; j < WINDOWS; j++) {
    const row = t + j * DIGITS * G2_SIZE;
    raw.HEAP32.copyWithin(row >> 2, base >> 2, (base + G2_SIZE) >> 2);
    for (let d = 1; d < DIGITS; d++) raw._mclBnG2_add(row + d * G2_SIZE, row + (d - 1) * G2_SIZE, base);
    for (let k = 0; k < W; k++) raw._mclBnG2_dbl(base, base);
  }
  raw._mclBnG2_normalizeVec(t, t, WINDOWS * DIGITS);
  built = { raw, table: t, acc, zero, base: h, backend: b };
  return built;
}

/**
 * s·h for the fixed G2 generator h (`g2Generator()`), by table lookup and 43 additions.
 * Equal to `g2Mul(g2Generator(), s)`.
 */
export function g2MulGenerator(s: Fr): G2 {
  if (counter.on) counter.c.g2FixedMul++;
  // BN254 only (its Fr encoding is little-endian); BLS12-381 uses mcl's multiplication.
  if (loadedCurve().name !== 'bn254')
    return o(be().mcl.mul(g2Generator() as unknown as Mcl.G2, s as unknown as Mcl.Fr));
  const { raw, table: t, acc, zero } = table();
  const bytes = (s as unknown as Mcl.Fr).serialize(); // 32 bytes, little-endian, canonical (< r)
  raw.HEAP32.fill(0, acc >> 2, (acc + G2_SIZE) >> 2); // the identity (z = 0)
  for (let j = 0; j < WINDOWS; j++) {
    const bit = W * j;
    const lo = bytes[bit >> 3] ?? 0;
    const hi = bytes[(bit >> 3) + 1] ?? 0;
    const d = ((lo | (hi << 8)) >> (bit & 7)) & DIGITS;
    // A zero digit adds the identity: the same sequence of additions for every scalar.
    raw._mclBnG2_add(acc, acc, d === 0 ? zero : t + (j * DIGITS + d - 1) * G2_SIZE);
  }
  const out = new (be().mcl.G2)();
  words(out).set(new Uint32Array(raw.HEAP32.buffer, acc, G2_WORDS));
  return out as unknown as G2;
}
