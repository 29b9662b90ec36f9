/**
 * The optimal ate pairing on BN254, and multi-pairing with one final
 * exponentiation through mcl's raw `_mclBn_millerLoopVec` (about 2x faster
 * than separate pairings at 10 pairs).
 */
import type * as Mcl from 'mcl-wasm';
import { be } from './backend.js';
import { counter } from './counters.js';
import type { G1, G2, GT } from './types.js';

/** e(P, Q). */
export const pair = (P: G1, Q: G2): GT => {
  if (counter.on) {
    counter.c.millerPairs++;
    counter.c.finalExp++;
  }
  return be().mcl.pairing(P as unknown as Mcl.G1, Q as unknown as Mcl.G2) as unknown as GT;
};
/** The Miller loop f_{Q}(P) without final exponentiation. */
export const millerLoop = (P: G1, Q: G2): GT => {
  if (counter.on) counter.c.millerPairs++;
  return be().mcl.millerLoop(P as unknown as Mcl.G1, Q as unknown as Mcl.G2) as unknown as GT;
};
/** The final exponentiation x^((p^12 - 1) / r). */
export const finalExp = (x: GT): GT => {
  if (counter.on) counter.c.finalExp++;
  return be().mcl.finalExp(x as unknown as Mcl.GT) as unknown as GT;
};

/** The internal word buffer of an mcl value (not in mcl-wasm's typings). */
const words = (x: unknown): Uint32Array => (x as { a_: Uint32Array }).a_;

/** Pairs per raw call: bounded so the Emscripten stack (1 MiB) is never at risk. */
const CHUNK = 64;

/**
 * Product of Miller loops prod f_{Q_i}(P_i), computed by `_mclBn_millerLoopVec`
 * in chunks; multiply into one GT value. Returns 1 for empty input.
 */
export function millerLoopVec(Ps: readonly G1[], Qs: readonly G2[]): GT {
  if (Ps.length !== Qs.length) throw new RangeError('millerLoopVec: length mismatch');
  if (counter.on) counter.c.millerPairs += Ps.length;
  const { mcl, raw } = be();
  let acc: Mcl.GT | undefined;
  for (let i = 0; i < Ps.length; i += CHUNK) {
    const xs = Ps.slice(i, i + CHUNK) as unknown as Mcl.G1[];
    const ys = Qs.slice(i, i + CHUNK) as unknown as Mcl.G2[];
    const z = new mcl.GT();
    const sp = raw.stackSave();
    try {
      const zPos = raw.salloc(words(z));
      const xPos = raw.sallocArray(xs.map(words));
      const yPos = raw.sallocArray(ys.map(words));
      raw._mclBn_millerLoopVec(zPos, xPos, yPos, xs.length);
      raw.copyFromHeap32(words(z), zPos);
    } finally {
      raw.stackRestore(sp);
    }
    acc = acc === undefined ? z : mcl.mul(acc, z);
  }
  if (acc === undefined) {
    acc = new mcl.GT();
    acc.setInt(1);
  }
  return acc as unknown as GT;
}

/** prod e(P_i, Q_i) with a single final exponentiation. */
export function multiPairing(Ps: readonly G1[], Qs: readonly G2[]): GT {
  return finalExp(millerLoopVec(Ps, Qs));
}
