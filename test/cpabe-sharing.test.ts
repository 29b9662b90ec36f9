/**
 * The secret sharing the CP-ABE schemes rely on, checked from the cpabe side against an
 * independent solver (test/cpabe-helpers.ts): for random policies, the rows a key holds
 * span the target vector (1, 0, ..., 0) exactly when `satisfies` says so, and the rows and
 * coefficients decryption uses really reconstruct the secret. No pairings: many runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandKeyAttributes,
  minimalSatisfyingSet,
  parsePolicy,
  reconstructionCoefficients,
  satisfies,
  toLsss,
} from '../src/policy/index.js';
import { solve } from './cpabe-helpers.js';
import { runs, testOrder } from './helpers.js';

const R = testOrder();

const arbPolicy: fc.Arbitrary<string> = fc.letrec<{ p: string; gate: string }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
    fc
      .tuple(fc.constantFrom('<', '<=', '>', '>=', '='), fc.integer({ min: 0, max: 15 }))
      .map(([op, v]) => `n#u4 ${op} ${op === '<' ? Math.max(v, 1) : op === '>' ? Math.min(v, 14) : v}`),
    tie('gate'),
  ),
  gate: fc.array(tie('p'), { minLength: 2, maxLength: 4 }).chain((cs) =>
    fc.oneof(
      fc.constant(`(${cs.join(' and ')})`),
      fc.constant(`(${cs.join(' or ')})`),
      fc.integer({ min: 1, max: cs.length }).map((k) => `${k} of (${cs.join(', ')})`),
    ),
  ),
})).p;

const arbAttributes = fc
  .tuple(fc.subarray(['a', 'b', 'c', 'd', 'e', 'f', 'g']), fc.option(fc.integer({ min: 0, max: 15 })))
  .map(([letters, n]) => (n === null ? letters : [...letters, `n#u4 = ${n}`]));

describe('LSSS of bpds/policy as the schemes use it', () => {
  it('held rows span (1, 0, ..., 0) exactly for authorized attribute sets', () => {
    fc.assert(
      fc.property(arbPolicy, arbAttributes, (text, attrs) => {
        const policy = parsePolicy(text);
        const { matrix, rowLabels } = toLsss(policy, R);
        const held = new Set(expandKeyAttributes(attrs));
        const rows = rowLabels.flatMap((l, i) => (held.has(l) ? [i] : []));
        const ok = satisfies(policy, attrs);
        // independent solver: an unauthorized set must not be able to reconstruct anything
        expect(solve(matrix, rows) !== null).toBe(ok);
        const chosen = minimalSatisfyingSet(policy, attrs);
        expect(chosen !== null).toBe(ok);
        if (chosen === null) return;
        for (const i of chosen) expect(held.has(rowLabels[i] as string)).toBe(true);
        const w = reconstructionCoefficients({ matrix, rowLabels }, chosen, R);
        const m = (matrix[0] as readonly bigint[]).length;
        for (let j = 0; j < m; j++) {
          const sum = chosen.reduce(
            (acc, i, k) => (acc + (w[k] as bigint) * ((matrix[i] as bigint[])[j] as bigint)) % R,
            0n,
          );
          expect(sum).toBe(j === 0 ? 1n : 0n);
        }
      }),
      { numRuns: runs(300) },
    );
  });
});
