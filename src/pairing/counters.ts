/**
 * Operation counters of the pairing layer, for tests and benchmarks: how many scalar
 * multiplications, multi-scalar-multiplication points, hashes to the groups, Miller-loop pairs,
 * final exponentiations and point decodes an algorithm really performs. Off by default; when
 * off, each counted operation pays one property read and branch. Internal: not exported from
 * the package.
 */

/** Counted operations, named as the schemes' `counts` tables name them. */
export interface PairingOpCounts {
  g1Mul: number;
  g2Mul: number;
  /** Multiplications of the G2 generator through the fixed-base table (fixed-base.ts). */
  g2FixedMul: number;
  g1MsmPoints: number;
  g2MsmPoints: number;
  gtPow: number;
  hashG1: number;
  hashG2: number;
  millerPairs: number;
  finalExp: number;
  g1Decode: number;
  g2Decode: number;
  /** G2 decodes whose subgroup test is deferred to an exact comparison (PointDecodeOptions). */
  g2DecodeDeferred: number;
}

const zero = (): PairingOpCounts => ({
  g1Mul: 0,
  g2Mul: 0,
  g2FixedMul: 0,
  g1MsmPoints: 0,
  g2MsmPoints: 0,
  gtPow: 0,
  hashG1: 0,
  hashG2: 0,
  millerPairs: 0,
  finalExp: 0,
  g1Decode: 0,
  g2Decode: 0,
  g2DecodeDeferred: 0,
});

/** The live counters: `on` is false except inside {@link countOps}. Internal. */
export const counter: { on: boolean; c: PairingOpCounts } = { on: false, c: zero() };

/**
 * Run `f` with counting on and return what it counted (only the non-zero entries). Not
 * reentrant: nested calls count into the outer call's result too.
 */
export function countOps<T>(f: () => T): { result: T; counts: Partial<PairingOpCounts> } {
  const saved = counter.c;
  const wasOn = counter.on;
  counter.c = zero();
  counter.on = true;
  try {
    const result = f();
    const counts: Partial<PairingOpCounts> = {};
    for (const [k, v] of Object.entries(counter.c) as [keyof PairingOpCounts, number][]) if (v !== 0) counts[k] = v;
    if (wasOn) for (const [k, v] of Object.entries(counter.c) as [keyof PairingOpCounts, number][]) saved[k] += v;
    return { result, counts };
  } finally {
    counter.c = saved;
    counter.on = wasOn;
  }
}
