import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, PolicyNotSatisfiedError, PolicySyntaxError } from '../src/errors.js';
import {
  type Lsss,
  minimalSatisfyingSet,
  parsePolicy,
  policyLeaves,
  reconstructionCoefficients,
  toLsss,
  toMonotone,
} from '../src/policy/index.js';
import { runs } from './helpers.js';
import { evalRows, keyArb, keyStrings, policyArb, R, unitInSpan } from './policy/arbitraries.js';

const md = (x: bigint) => ((x % R) + R) % R;
const dot = (a: readonly bigint[], b: readonly bigint[]) => md(a.reduce((s, x, i) => s + x * (b[i] as bigint), 0n));

/** Share a random secret with the LSSS and recombine the given rows with coefficients w. */
function recombines(lsss: Lsss, rows: readonly number[], w: readonly bigint[], u: readonly bigint[]): boolean {
  const cols = (lsss.matrix[0] as bigint[]).length;
  const vec = Array.from({ length: cols }, (_, i) => md(u[i % u.length] as bigint) + BigInt(i)); // u_1 = secret
  const shares = lsss.matrix.map((row) => dot(row, vec));
  const s = md(rows.reduce((acc, r, i) => acc + (w[i] as bigint) * (shares[r] as bigint), 0n));
  return s === vec[0];
}

/** A copy of an LSSS that reconstructionCoefficients does not recognise (forces Gaussian elimination). */
function copy(l: Lsss): Lsss {
  return { matrix: l.matrix.map((r) => [...r]), rowLabels: [...l.rowLabels] };
}

describe('toLsss', () => {
  it('builds Lewko–Waters rows for and/or and Vandermonde rows for thresholds', () => {
    const m1 = R - 1n;
    expect(toLsss(parsePolicy('a and b'), R)).toEqual({
      matrix: [
        [1n, 1n],
        [0n, m1],
      ],
      rowLabels: ['a', 'b'],
    });
    expect(toLsss(parsePolicy('a or b'), R)).toEqual({ matrix: [[1n], [1n]], rowLabels: ['a', 'b'] });
    expect(toLsss(parsePolicy('a and b and c'), R).matrix).toEqual([
      [1n, 1n, 0n],
      [0n, m1, 1n],
      [0n, 0n, m1],
    ]);
    expect(toLsss(parsePolicy('2 of (a, b, c)'), R).matrix).toEqual([
      [1n, 1n],
      [1n, 2n],
      [1n, 3n],
    ]);
    expect(toLsss(parsePolicy('3 of (a, b, c, d)'), R).matrix).toEqual([
      [1n, 1n, 1n],
      [1n, 2n, 4n],
      [1n, 3n, 9n],
      [1n, 4n, 16n],
    ]);
    const l = toLsss(parsePolicy('d or (a and 2 of (b, c, e))'), R);
    expect(l.rowLabels).toEqual(policyLeaves(parsePolicy('d or (a and 2 of (b, c, e))')));
    // canonical order: '2 of (b, c, e) and a' sorts before 'd'
    expect(l.rowLabels).toEqual(['b', 'c', 'e', 'a', 'd']);
    expect(Object.isFrozen(l) && Object.isFrozen(l.matrix) && Object.isFrozen(l.matrix[0])).toBe(true);
  });

  it('rows follow policyLeaves, numeric comparisons compiled', () => {
    const p = parsePolicy('dept:er and level#u3 >= 5');
    const l = toLsss(p, R);
    expect(l.rowLabels).toEqual(policyLeaves(p));
    expect(l.rowLabels).toContain('level#u3[2]=1');
    expect(() => toLsss(parsePolicy('a and not b'), R)).toThrow(PolicySyntaxError);
    expect(() => toLsss(parsePolicy('a'), 4096n)).toThrow(InvalidArgumentError);
    expect(() => toLsss(parsePolicy('a'), R + 2n)).toThrow(/"modulus" expected a prime bigint/);
    expect(() => toLsss(parsePolicy('a'), 7 as unknown as bigint)).toThrow(InvalidArgumentError);
  });

  it('authorized sets reconstruct, unauthorized sets cannot (fast-check, every subset of small policies)', () => {
    fc.assert(
      fc.property(
        policyArb({ not: false, cmp: false, names: ['a', 'b', 'c', 'd', 'e', 'f'], maxDepth: 3 }),
        fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: 1, maxLength: 8 }),
        (ast, u) => {
          const lsss = toLsss(ast, R);
          const m = toMonotone(ast);
          const n = lsss.matrix.length;
          fc.pre(n <= 9);
          const cols = (lsss.matrix[0] as bigint[]).length;
          expect(cols).toBeLessThanOrEqual(n);
          const generic = copy(lsss);
          for (let mask = 0; mask < 1 << n; mask++) {
            const rows = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
            const authorized = evalRows(m, new Set(rows));
            // independent rank check
            expect(
              unitInSpan(
                rows.map((r) => lsss.matrix[r] as bigint[]),
                cols,
                R,
              ),
            ).toBe(authorized);
            for (const l of [lsss, generic]) {
              if (authorized) {
                const w = reconstructionCoefficients(l, rows, R);
                expect(w.length).toBe(rows.length);
                expect(recombines(lsss, rows, w, u)).toBe(true);
              } else {
                expect(() => reconstructionCoefficients(l, rows, R)).toThrow(PolicyNotSatisfiedError);
              }
            }
          }
        },
      ),
      { numRuns: runs(40, { heavy: true }) },
    );
  });

  it('minimal sets from key attributes reconstruct the secret (fast-check, with numeric comparisons)', () => {
    fc.assert(
      fc.property(
        policyArb({ not: false }),
        keyArb,
        fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: 1, maxLength: 8 }),
        (ast, key, u) => {
          const lsss = toLsss(ast, R);
          const attrs = keyStrings(key);
          const rows = minimalSatisfyingSet(ast, attrs);
          // every row a key holds
          const held = heldRows(lsss, attrs);
          if (rows === null) {
            expect(() => reconstructionCoefficients(lsss, held, R)).toThrow(PolicyNotSatisfiedError);
            const cols = (lsss.matrix[0] as bigint[]).length;
            if (lsss.matrix.length <= 64) {
              expect(
                unitInSpan(
                  held.map((r) => lsss.matrix[r] as bigint[]),
                  cols,
                  R,
                ),
              ).toBe(false);
            }
            return;
          }
          const w = reconstructionCoefficients(lsss, rows, R);
          expect(recombines(lsss, rows, w, u)).toBe(true);
          // all held rows (a superset) also work, with zero weight on unused rows
          const wAll = reconstructionCoefficients(lsss, held, R);
          expect(recombines(lsss, held, wAll, u)).toBe(true);
          if (lsss.matrix.length <= 64)
            expect(recombines(lsss, rows, reconstructionCoefficients(copy(lsss), rows, R), u)).toBe(true);
        },
      ),
      { numRuns: runs(80, { heavy: true }) },
    );
  });

  it('handles large policies', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `a${i}`);
    const and = toLsss(parsePolicy(names.join(' and ')), R);
    expect(and.matrix.length).toBe(1000);
    expect((and.matrix[0] as bigint[]).length).toBe(1000);
    const all = names.map((_, i) => i);
    const w = reconstructionCoefficients(and, all, R);
    expect(w.every((x) => x === 1n)).toBe(true);
    expect(() => reconstructionCoefficients(and, all.slice(1), R)).toThrow(PolicyNotSatisfiedError);
    const thr = toLsss(parsePolicy(`40 of (${names.slice(0, 100).join(', ')})`), R);
    const rows = Array.from({ length: 40 }, (_, i) => 2 * i + 1);
    expect(recombines(thr, rows, reconstructionCoefficients(thr, rows, R), [5n, 7n])).toBe(true);
    expect(recombines(thr, rows, reconstructionCoefficients(copy(thr), rows, R), [5n, 7n])).toBe(true);
    expect(() => reconstructionCoefficients(thr, rows.slice(1), R)).toThrow(PolicyNotSatisfiedError);
    expect(() => reconstructionCoefficients(copy(thr), rows.slice(1), R)).toThrow(PolicyNotSatisfiedError);
  });

  it('rejects malformed arguments', () => {
    const l = toLsss(parsePolicy('a and b'), R);
    expect(() => reconstructionCoefficients(l, [0, 2], R)).toThrow(/"rows\[1\]" expected a row index from 0 to 1/);
    expect(() => reconstructionCoefficients(l, [0, 1.5], R)).toThrow(InvalidArgumentError);
    expect(() => reconstructionCoefficients(l, 'x' as unknown as number[], R)).toThrow(InvalidArgumentError);
    expect(() => reconstructionCoefficients(l, [0, 1], 15n)).toThrow(InvalidArgumentError);
    const bad: unknown[] = [
      null,
      {},
      { matrix: [], rowLabels: [] },
      { matrix: [[1n]], rowLabels: [] },
      { matrix: [[1n], [1n, 2n]], rowLabels: ['a', 'b'] },
      { matrix: [[R]], rowLabels: ['a'] },
      { matrix: [[-1n]], rowLabels: ['a'] },
      { matrix: [[1]], rowLabels: ['a'] },
      { matrix: [[1n]], rowLabels: [1] },
    ];
    for (const b of bad) expect(() => reconstructionCoefficients(b as Lsss, [0], R)).toThrow(InvalidArgumentError);
    // duplicates are harmless
    const w = reconstructionCoefficients(l, [1, 0, 1, 0], R);
    expect(recombines(l, [1, 0, 1, 0], w, [9n, 4n])).toBe(true);
    // an LSSS checked against another modulus goes through validation and elimination
    const p2 = 2n ** 127n - 1n;
    const l2 = toLsss(parsePolicy('a and b'), p2);
    expect(reconstructionCoefficients(l2, [0, 1], p2)).toEqual([1n, 1n]);
    expect(() => reconstructionCoefficients(l, [0, 1], p2)).toThrow(InvalidArgumentError); // R - 1 >= p2
  });
});

function heldRows(lsss: Lsss, attrs: string[]): number[] {
  // rows whose labels the key holds: a row is held iff the single-leaf policy on its label is satisfied
  const held = new Set<number>();
  lsss.rowLabels.forEach((label, i) => {
    const one = minimalSatisfyingSet(parsePolicy(label.includes('#') ? bitLeaf(label) : quote(label)), attrs);
    if (one !== null) held.add(i);
  });
  return [...held];
}

function quote(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function bitLeaf(label: string): string {
  const i = label.indexOf('#');
  return `${quote(label.slice(0, i))}${label.slice(i)}`;
}
