/**
 * Test-only: count the group operations a call makes, by wrapping the real mcl-wasm
 * functions the pairing layer calls (scalar multiplications, multi-scalar
 * multiplications, hashes to the curve, point additions, Miller loops, final
 * exponentiations) for the duration of ONE call, then restoring them. The weights
 * price each operation in G1 scalar multiplications (mcl-wasm on this kind of
 * machine, docs/benchmarks.md), so two calls can be compared by their group work
 * without timing anything.
 */
import { be } from '../src/pairing/backend.js';

export interface OpTally {
  g1Mul: number;
  g2Mul: number;
  gtPow: number;
  g1MsmPoints: number;
  g2MsmPoints: number;
  hashG1: number;
  hashG2: number;
  g1Add: number;
  g2Add: number;
  millerPairs: number;
  finalExp: number;
}

/** Costs relative to one G1 scalar multiplication (0.16 ms here). */
const WEIGHT: Record<keyof OpTally, number> = {
  g1Mul: 1,
  g2Mul: 2.2,
  gtPow: 4.4,
  g1MsmPoints: 0.45,
  g2MsmPoints: 1.2,
  hashG1: 0.45,
  hashG2: 1.8,
  g1Add: 0.02,
  g2Add: 0.05,
  millerPairs: 5,
  finalExp: 3,
};

/** The weighted group work of a tally, in G1-multiplication units. */
export function groupWork(t: OpTally): number {
  let w = 0;
  for (const k of Object.keys(WEIGHT) as (keyof OpTally)[]) w += t[k] * WEIGHT[k];
  return w;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Raw Emscripten entry points, with the argument that carries a vector length (or -1). */
const ENTRIES: readonly [string, keyof OpTally, number][] = [
  ['_mclBnG1_mul', 'g1Mul', -1],
  ['_mclBnG2_mul', 'g2Mul', -1],
  ['_mclBnGT_pow', 'gtPow', -1],
  ['_mclBnG1_mulVec', 'g1MsmPoints', 3],
  ['_mclBnG2_mulVec', 'g2MsmPoints', 3],
  ['_mclBnG1_hashAndMapTo', 'hashG1', -1],
  ['_mclBnG2_hashAndMapTo', 'hashG2', -1],
  ['_mclBnG1_add', 'g1Add', -1],
  ['_mclBnG1_sub', 'g1Add', -1],
  ['_mclBnG2_add', 'g2Add', -1],
  ['_mclBnG2_sub', 'g2Add', -1],
  ['_mclBn_millerLoop', 'millerPairs', -1],
  ['_mclBn_millerLoopVec', 'millerPairs', 3],
  ['_mclBn_finalExp', 'finalExp', -1],
];

/**
 * Run `fn` once with every group operation counted (at the WebAssembly entry points
 * mcl-wasm's typed API calls, so nothing above them can skip the count).
 */
export async function countOps<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T | undefined; error: unknown; ops: OpTally }> {
  const mod = be().raw as unknown as Record<string, AnyFn>;
  const ops: OpTally = {
    g1Mul: 0,
    g2Mul: 0,
    gtPow: 0,
    g1MsmPoints: 0,
    g2MsmPoints: 0,
    hashG1: 0,
    hashG2: 0,
    g1Add: 0,
    g2Add: 0,
    millerPairs: 0,
    finalExp: 0,
  };
  const saved: [string, AnyFn][] = [];
  for (const [name, key, lenArg] of ENTRIES) {
    const orig = mod[name];
    if (typeof orig !== 'function') throw new Error(`mcl-wasm has no ${name}`);
    saved.push([name, orig]);
    mod[name] = (...args: unknown[]) => {
      ops[key] += lenArg < 0 ? 1 : (args[lenArg] as number);
      return orig(...args);
    };
  }
  const pairing = mod._mclBn_pairing as AnyFn;
  saved.push(['_mclBn_pairing', pairing]);
  mod._mclBn_pairing = (...args: unknown[]) => {
    ops.millerPairs++;
    ops.finalExp++;
    return pairing(...args);
  };
  try {
    const result = await fn();
    return { result, error: undefined, ops };
  } catch (error) {
    return { result: undefined, error, ops };
  } finally {
    for (const [name, orig] of saved) mod[name] = orig;
  }
}
