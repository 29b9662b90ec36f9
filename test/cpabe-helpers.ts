/**
 * Test-only helpers for the CP-ABE scheme cores: a tiny policy tree, its LSSS matrix
 * built independently of src/policy (Lewko–Waters for AND/OR, Shamir columns for
 * thresholds), an evaluator, and a Gaussian-elimination solver for reconstruction
 * coefficients. Used to test cores against hand-built access structures.
 */
import fc from 'fast-check';
import { testOrder } from './helpers.js';

export type Tree = { leaf: string } | { k: number; children: Tree[] };

const R = testOrder();
const mod = (x: bigint) => ((x % R) + R) % R;

function powmod(b: bigint, e: bigint): bigint {
  let r = 1n;
  let x = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * x) % R;
    x = (x * x) % R;
    e >>= 1n;
  }
  return r;
}
const inv = (x: bigint) => powmod(x, R - 2n);

export const and = (...children: Tree[]): Tree => ({ k: children.length, children });
export const or = (...children: Tree[]): Tree => ({ k: 1, children });
export const leaf = (name: string): Tree => ({ leaf: name });

/** LSSS of a threshold tree: rows in left-to-right leaf order. */
export function treeToLsss(tree: Tree): { matrix: bigint[][]; rowLabels: string[] } {
  const rows: { v: bigint[]; label: string }[] = [];
  let cols = 1;
  const walk = (t: Tree, v: bigint[]) => {
    if ('leaf' in t) {
      rows.push({ v, label: t.leaf });
      return;
    }
    if (t.k === 1) {
      for (const c of t.children) walk(c, v);
      return;
    }
    // k-of-n: t-1 fresh columns, child x gets v || (x, x^2, ..., x^{k-1}) in them.
    const start = cols;
    cols += t.k - 1;
    t.children.forEach((c, idx) => {
      const x = BigInt(idx + 1);
      const w = [...v];
      while (w.length < start) w.push(0n);
      for (let e = 1; e < t.k; e++) w[start + e - 1] = powmod(x, BigInt(e));
      walk(c, w);
    });
  };
  walk(tree, [1n]);
  return {
    matrix: rows.map((r) => Array.from({ length: cols }, (_, j) => mod(r.v[j] ?? 0n))),
    rowLabels: rows.map((r) => r.label),
  };
}

export function evaluate(t: Tree, attrs: ReadonlySet<string>): boolean {
  if ('leaf' in t) return attrs.has(t.leaf);
  return t.children.filter((c) => evaluate(c, attrs)).length >= t.k;
}

/** Coefficients w (over `rows`) with sum w_i M_i = (1, 0, ..., 0), or null if none. */
export function solve(matrix: readonly (readonly bigint[])[], rows: readonly number[]): bigint[] | null {
  const m = matrix[0]?.length ?? 0;
  const n = rows.length;
  // Augmented system A w = e1 with A = M_I^T (m x n).
  const A = Array.from({ length: m }, (_, j) => [
    ...rows.map((i) => mod((matrix[i] as bigint[])[j] as bigint)),
    j === 0 ? 1n : 0n,
  ]);
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < n && r < m; c++) {
    const p = A.findIndex((row, idx) => idx >= r && row[c] !== 0n);
    if (p < 0) continue;
    [A[r], A[p]] = [A[p] as bigint[], A[r] as bigint[]];
    const pr = A[r] as bigint[];
    const iv = inv(pr[c] as bigint);
    for (let k = 0; k <= n; k++) pr[k] = mod((pr[k] as bigint) * iv);
    for (let q = 0; q < m; q++) {
      if (q === r) continue;
      const row = A[q] as bigint[];
      const f = row[c] as bigint;
      if (f === 0n) continue;
      for (let k = 0; k <= n; k++) row[k] = mod((row[k] as bigint) - f * (pr[k] as bigint));
    }
    pivots.push(c);
    r++;
  }
  for (let q = r; q < m; q++) if ((A[q] as bigint[])[n] !== 0n) return null;
  const w = new Array<bigint>(n).fill(0n);
  pivots.forEach((c, idx) => {
    w[c] = (A[idx] as bigint[])[n] as bigint;
  });
  return w;
}

/** Rows whose labels are held. */
export const heldRows = (labels: readonly string[], attrs: ReadonlySet<string>): number[] =>
  labels.flatMap((l, i) => (attrs.has(l) ? [i] : []));

/** fast-check: random trees over a small universe (repeats allowed), up to `maxLeaves` leaves. */
export function arbTree(universe: readonly string[], maxDepth = 3): fc.Arbitrary<Tree> {
  const { tree } = fc.letrec<{ tree: Tree; node: Tree }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(...universe).map(leaf), tie('node')),
    node: fc
      .array(tie('tree'), { minLength: 1, maxLength: 4 })
      .chain((children) => fc.integer({ min: 1, max: children.length }).map((k) => ({ k, children }) as Tree)),
  }));
  return tree.filter((t) => depth(t) <= maxDepth);
}

function depth(t: Tree): number {
  return 'leaf' in t ? 0 : 1 + Math.max(...t.children.map(depth));
}

export const leafCount = (t: Tree): number => ('leaf' in t ? 1 : t.children.reduce((a, c) => a + leafCount(c), 0));
