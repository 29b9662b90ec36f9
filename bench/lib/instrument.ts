/**
 * Counting point decodes: the scheme cores declare their group operations, but
 * how many points an operation decodes (and validates) depends on the encoding.
 * We count it exactly with the pairing layer's counters (src/pairing/counters.ts)
 * during ONE untimed call: G1 decodes, G2 decodes with the subgroup test, and G2
 * decodes whose subgroup test is deferred to the CCA check's exact comparison.
 * Benchmark-only: never used by the library.
 */
import type { OpCount } from '../../src/cpabe/scheme.js';
import { counter } from '../../src/pairing/counters.js';

async function withCounting<T>(fn: () => T | Promise<T>): Promise<{ result: T; count: OpCount }> {
  const saved = counter.c;
  const wasOn = counter.on;
  counter.c = { ...saved };
  for (const k of Object.keys(counter.c) as (keyof typeof counter.c)[]) counter.c[k] = 0;
  counter.on = true;
  try {
    const result = await fn();
    const { g1Decode, g2Decode, g2DecodeDeferred } = counter.c;
    return { result, count: { g1Decode, g2Decode, ...(g2DecodeDeferred > 0 ? { g2DecodeDeferred } : {}) } };
  } finally {
    counter.c = saved;
    counter.on = wasOn;
  }
}

/** Run `fn` once and count the G1/G2 points it decodes. */
export const countDecodes = withCounting;

/** A short description of a decode count, for notes. */
export function describeDecodes(c: OpCount): string {
  const deferred = c.g2DecodeDeferred ? ` + ${c.g2DecodeDeferred} G2 (subgroup test in the exact CCA comparison)` : '';
  return `${c.g1Decode ?? 0} G1 + ${c.g2Decode ?? 0} G2${deferred} point decodes`;
}
