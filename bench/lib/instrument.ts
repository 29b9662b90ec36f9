/**
 * Counting point decodes: the scheme cores declare their group operations, but
 * how many points an operation decodes (and validates) depends on the encoding.
 * We count it exactly by wrapping mcl's G1/G2 `deserialize` during ONE untimed
 * call, then restore the originals. Benchmark-only: never used by the library.
 */
import type { OpCount } from '../../src/cpabe/scheme.js';
import { be } from '../../src/pairing/backend.js';

type Proto = { deserialize(this: unknown, b: Uint8Array): void };

async function withCounting<T>(fn: () => T | Promise<T>): Promise<{ result: T; count: OpCount }> {
  const { mcl } = be();
  const g1 = mcl.G1.prototype as unknown as Proto;
  const g2 = mcl.G2.prototype as unknown as Proto;
  const orig1 = g1.deserialize;
  const orig2 = g2.deserialize;
  let n1 = 0;
  let n2 = 0;
  g1.deserialize = function (this: unknown, b: Uint8Array) {
    n1++;
    return orig1.call(this, b);
  };
  g2.deserialize = function (this: unknown, b: Uint8Array) {
    n2++;
    return orig2.call(this, b);
  };
  try {
    const result = await fn();
    return { result, count: { g1Decode: n1, g2Decode: n2 } };
  } finally {
    g1.deserialize = orig1;
    g2.deserialize = orig2;
  }
}

/** Run `fn` once and count the G1/G2 points it decodes. */
export const countDecodes = withCounting;

/** A short description of a decode count, for notes. */
export function describeDecodes(c: OpCount): string {
  return `${c.g1Decode ?? 0} G1 + ${c.g2Decode ?? 0} G2 point decodes`;
}
