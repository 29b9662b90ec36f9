/**
 * LSSS secret sharing for Waters11 and BSW07 (Beimel's LSSS, as used in
 * Waters, PKC 2011, §2.2 and §3): lambda_i = M_i · v with v = (s, y_2, ..., y_m).
 * Internal.
 */
import { InvalidArgumentError } from '../../../errors.js';
import {
  BN254_R,
  type Fr,
  frAdd,
  frFrom,
  frIsZero,
  frMul,
  frNeg,
  frRandomNonZero,
  frSub,
  type G1,
  g1Add,
  g1Identity,
  g1Msm,
  g1Sub,
} from '../../../pairing/index.js';
import type { Lsss, ScalarSource } from '../../scheme.js';
import { MAX_ROWS } from './limits.js';

/**
 * Check an LSSS's shape: 1..MAX_ROWS rows of the same width m >= 1, one label per
 * row, entries bigints in [0, r).
 * @throws {InvalidArgumentError}
 */
export function checkLsss(lsss: Lsss): { n: number; m: number } {
  const n = lsss.matrix.length;
  if (n === 0 || n > MAX_ROWS) throw new InvalidArgumentError(`"lsss" must have 1 to ${MAX_ROWS} rows, got ${n}`);
  if (lsss.rowLabels.length !== n) throw new InvalidArgumentError('"lsss" needs exactly one label per row');
  const m = (lsss.matrix[0] as readonly bigint[]).length;
  if (m === 0) throw new InvalidArgumentError('"lsss" rows must have at least one column');
  for (const row of lsss.matrix) {
    if (row.length !== m) throw new InvalidArgumentError('"lsss" rows must all have the same length');
    for (const x of row) {
      if (typeof x !== 'bigint' || x < 0n || x >= BN254_R) {
        throw new InvalidArgumentError('"lsss" entries must be bigints in [0, r)');
      }
    }
  }
  return { n, m };
}

/** Draw a non-zero scalar from `rand` (redraw on the negligible zero). */
export function drawNonZero(rand: ScalarSource): Fr {
  for (;;) {
    const x = rand();
    if (!frIsZero(x)) return x;
  }
}

/**
 * The shares of s: draws s (non-zero), then y_2, ..., y_m from `rand` (in this order), and
 * returns s and lambda_i = M_i · (s, y_2, ..., y_m) for every row i.
 */
export function shareSecret(lsss: Lsss, m: number, rand: ScalarSource): { s: Fr; lambda: Fr[] } {
  const v: Fr[] = [drawNonZero(rand)];
  for (let j = 1; j < m; j++) v.push(rand());
  const s = v[0] as Fr;
  const lambda = lsss.matrix.map((row) => dot(row, v));
  return { s, lambda };
}

const MINUS_ONE = BN254_R - 1n;

/** M_i · v, skipping zero entries and using add/sub for ±1 (the common entries). */
function dot(row: readonly bigint[], v: readonly Fr[]): Fr {
  let acc: Fr | undefined;
  for (let j = 0; j < row.length; j++) {
    const x = row[j] as bigint;
    if (x === 0n) continue;
    const vj = v[j] as Fr;
    if (x === 1n) acc = acc === undefined ? vj : frAdd(acc, vj);
    else if (x === MINUS_ONE) acc = acc === undefined ? frNeg(vj) : frSub(acc, vj);
    else {
      const t = frMul(frFrom(x), vj);
      acc = acc === undefined ? t : frAdd(acc, t);
    }
  }
  return acc ?? frFrom(0);
}

/**
 * sum_i c_i P_i in G1 for bigint coefficients in [0, r): coefficients 1 and r-1
 * (the usual reconstruction coefficients) are additions, the rest one MSM.
 */
export function g1Combine(points: readonly G1[], coeffs: readonly bigint[]): G1 {
  let acc = g1Identity();
  const P: G1[] = [];
  const c: Fr[] = [];
  for (let i = 0; i < points.length; i++) {
    const x = coeffs[i] as bigint;
    const p = points[i] as G1;
    if (x === 0n) continue;
    if (x === 1n) acc = g1Add(acc, p);
    else if (x === MINUS_ONE) acc = g1Sub(acc, p);
    else {
      P.push(p);
      c.push(frFrom(x));
    }
  }
  return P.length === 0 ? acc : g1Add(acc, g1Msm(P, c));
}

/** Fresh CSPRNG weights for a random-linear-combination check. */
export function rlcWeights(n: number): Fr[] {
  const out: Fr[] = [];
  for (let i = 0; i < n; i++) out.push(frRandomNonZero());
  return out;
}
