/**
 * The backend's limit: an algorithm's counted group operations (the scheme
 * cores' `counts`, `src/cpabe/scheme.ts` OpCount) priced with the primitive
 * costs measured in the same run. `ratio = measured / limit` is the overhead of
 * everything that is not counted group work (scalar arithmetic, hashing to Fr,
 * LSSS solving, encodings, JS glue, symmetric layers). A ratio near 1 means the
 * code runs at the backend's speed; below 1 means the implementation beats the
 * naive count (e.g. a batched check instead of a re-encryption).
 */
import type { OpCount } from '../../src/cpabe/scheme.js';

/** Per-operation prices in ms (one entry per OpCount field). */
export type Prices = Readonly<Record<keyof OpCount, number>>;

/** Which primitive measurement prices each OpCount field (documented in docs/benchmarks.md). */
export const PRICE_SOURCES: Readonly<Record<keyof OpCount, string>> = {
  g1Mul: 'G1 mul',
  g2Mul: 'G2 mul',
  g2FixedMul: 'G2 mul by the generator (fixed-base table)',
  g1MsmPoints: 'G1 MSM per point, 10 points',
  g2MsmPoints: 'G2 MSM per point, 10 points',
  gtPow: 'GT pow',
  hashG1: 'hash to G1',
  hashG2: 'hash to G2',
  millerPairs: 'Miller loop per pair, 20-pair millerLoopVec',
  finalExp: 'final exponentiation',
  g1Decode: 'G1 decode: mcl deserialize + on-curve check (cofactor 1)',
  g2Decode: 'G2 decode: mcl deserialize + the endomorphism subgroup test (src/pairing/subgroup.ts)',
  g2DecodeDeferred: 'G2 decode, subgroup test deferred to the exact CCA comparison: mcl deserialize (on the twist)',
};

/** Price an operation count; null when nothing is counted. */
export function price(count: OpCount, prices: Prices): number | null {
  let total = 0;
  let any = false;
  for (const [k, v] of Object.entries(count) as [keyof OpCount, number | undefined][]) {
    if (v === undefined || v === 0) continue;
    const p = prices[k];
    if (p === undefined) throw new Error(`bench: no price for OpCount field ${k}`);
    total += v * p;
    any = true;
  }
  return any ? total : null;
}

/** Sum of several counts. */
export function addCounts(...cs: OpCount[]): OpCount {
  const out: Record<string, number> = {};
  for (const c of cs) {
    for (const [k, v] of Object.entries(c)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  }
  return out as OpCount;
}
