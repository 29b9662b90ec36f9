/**
 * FAME's per-row ciphertext components (Agrawal–Chase, CCS 2017, §4, CP-ABE encryption
 * with k = 2): computing them, and checking them in the CCA re-encryption check.
 *
 *   ct_{i,l} = s1 P_{i,l,1} + s2 P_{i,l,2},   P_{i,l,t} = H(y_i l t) + sum_j M_ij H(0 j l t)
 *
 * (written additively; y_i carries its occurrence index, see `fame.ts`).
 *
 * Cost against an attacker's policy: the rows of a `k of n` gate are dense Vandermonde
 * rows, so anything that rebuilds P_{i,l,t} row by row costs O(n·k) group operations.
 * Rows are split in two kinds. Light rows (at most four non-zero entries, all ±1: the
 * rows of AND/OR policies) get their bases P by a few point additions, kept per policy.
 * Heavy rows (any other entry, or more entries) never get bases: the check folds their
 * matrix entries into the scalars of its random linear combination (M^T delta, field
 * arithmetic), so its group work is linear in rows + columns whatever the matrix, and
 * encryption (the encryptor's own policy) combines the per-column points
 * Q_{j,l} = s1 H(0 j l 1) + s2 H(0 j l 2) once per row (three MSMs of the row's non-zero
 * entries, half of what rebuilding both bases costs). Internal.
 */
import { type Fr, frFrom, frToBigint, type G1, g1Add, g1Eq, g1Msm, groupOrder } from '../../../pairing/index.js';
import { g1LinComb } from '../../internal/lincomb.js';
import { batchWeights } from '../../internal/weights.js';
import type { Lsss } from '../../scheme.js';
import { hAttr, hCol } from './hash.js';
import type { Triple } from './types.js';

/** r - 1 for the loaded curve (the coefficient -1). */
const minusOne = (): bigint => groupOrder() - 1n;
const L = [1, 2, 3] as const;

/** Most non-zero entries of a row whose bases are built by additions (AND/OR rows have 1 or 2). */
const LIGHT_ENTRIES = 4;

/**
 * A light row has at most {@link LIGHT_ENTRIES} non-zero entries, all 0, 1 or -1 (the rows of
 * AND/OR policies): its bases P_{i,l,t} cost a few point additions. Every other row (threshold
 * rows, long inherited vectors) is heavy: its matrix entries go into scalars instead.
 */
function isLight(row: readonly bigint[]): boolean {
  let nz = 0;
  for (const x of row) {
    if (x === 0n) continue;
    if ((x !== 1n && x !== minusOne()) || ++nz > LIGHT_ENTRIES) return false;
  }
  return true;
}

/**
 * bases[i][l - 1] = [P_{i,l,1}, P_{i,l,2}] for light rows (undefined for heavy rows):
 * independent of s, so kept (weakly) per frozen LSSS object for later encryptions and
 * checks under the same policy.
 */
type Bases = readonly (Triple<readonly [G1, G1]> | undefined)[];
const basesCache = new WeakMap<Lsss, Bases>();

function lightRowBases(lsss: Lsss, occ: readonly number[]): Bases {
  const hit = basesCache.get(lsss);
  if (hit !== undefined) return hit;
  const bases = lsss.rowLabels.map((y, i) => {
    const row = lsss.matrix[i] as readonly bigint[];
    if (!isLight(row)) return undefined;
    const k = occ[i] as number;
    const nz = row.flatMap((m, j) => (m === 0n ? [] : [j]));
    const P = (l: number, t: number): G1 =>
      g1Add(
        hAttr(y, k, l, t),
        g1LinComb(
          nz.map((j) => hCol(j + 1, l, t)),
          nz.map((j) => row[j] as bigint),
        ),
      );
    return L.map((l) => [P(l, 1), P(l, 2)] as const) as unknown as Triple<readonly [G1, G1]>;
  });
  if (Object.isFrozen(lsss)) basesCache.set(lsss, bases);
  return bases;
}

/**
 * ct_i for every row of the LSSS under (s1, s2).
 * @example
 * ```ts
 * const cti = encryptRows(lsss, occurrences(lsss.rowLabels), s1, s2);
 * ```
 */
export function encryptRows(lsss: Lsss, occ: readonly number[], s1: Fr, s2: Fr): Triple<G1>[] {
  const bases = lightRowBases(lsss, occ);
  // Q_{j,l} = s1 H(0 j l 1) + s2 H(0 j l 2), computed on first use by a dense row.
  const q = new Map<number, G1>();
  const Q = (j: number, l: number): G1 => {
    const key = 3 * j + l;
    let p = q.get(key);
    if (p === undefined) {
      p = g1Msm([hCol(j + 1, l, 1), hCol(j + 1, l, 2)], [s1, s2]);
      q.set(key, p);
    }
    return p;
  };
  return lsss.rowLabels.map((y, i) => {
    const b = bases[i];
    if (b !== undefined) return b.map((P) => g1Msm(P, [s1, s2])) as unknown as Triple<G1>;
    const row = lsss.matrix[i] as readonly bigint[];
    const k = occ[i] as number;
    const nz = row.flatMap((m, j) => (m === 0n ? [] : [j]));
    return L.map((l) =>
      g1Add(
        g1Msm([hAttr(y, k, l, 1), hAttr(y, k, l, 2)], [s1, s2]),
        g1LinComb(
          nz.map((j) => Q(j, l)),
          nz.map((j) => row[j] as bigint),
        ),
      ),
    ) as unknown as Triple<G1>;
  });
}

/**
 * Whether ct_i = s1 P_{i,·,1} + s2 P_{i,·,2} for every row, by the small-exponents batch
 * test (Bellare–Garay–Rabin, EUROCRYPT 1998) with fresh 128-bit weights delta_{i,l}:
 *
 *   sum_{i,l} delta_{i,l} ct_{i,l}
 *     == sum_t s_t ( sum_{i,l} delta_{i,l} H(y_i l t) + sum_{j,l} c_{j,l} H(0 j l t) ),
 *   c_{j,l} = sum_i delta_{i,l} M_ij.
 *
 * (for a light row, H(y_i l t) + sum_j M_ij H(0 j l t) is its cached base P_{i,l,t} and
 * its entries stay out of c). The right side is the left side's expected value with the
 * matrix product moved from the group into the scalars (an exact rewrite:
 * sum_i delta_i sum_j M_ij H_j = sum_j (sum_i delta_i M_ij) H_j), so the test is the same
 * batch test as row by row and a wrong row passes with probability at most 2^-128 (G1 has
 * prime order r). Group work: one MSM of the 3n ciphertext points with 128-bit weights and
 * two MSMs with one base per row and l (P or the attribute hash) plus at most 3m column
 * hashes; the O(n·m) part is bigint multiply-adds over the non-zero entries of heavy rows.
 * @example
 * ```ts
 * const ok = rowsMatch(lsss, occurrences(lsss.rowLabels), ct.cti, s1, s2);
 * ```
 */
export function rowsMatch(lsss: Lsss, occ: readonly number[], cti: readonly Triple<G1>[], s1: Fr, s2: Fr): boolean {
  const n = lsss.rowLabels.length;
  const m = (lsss.matrix[0] as readonly bigint[] | undefined)?.length ?? 0;
  const bases = lightRowBases(lsss, occ);
  const delta = batchWeights(3 * n);
  const C: G1[] = [];
  const base1: G1[] = [];
  const base2: G1[] = [];
  const scalars: Fr[] = [];
  // c[l][j] for the heavy rows, accumulated unreduced (each term is below 2^382) and reduced once per entry.
  const c: bigint[][] = L.map(() => new Array<bigint>(m).fill(0n));
  for (let i = 0; i < n; i++) {
    const ci = cti[i] as Triple<G1>;
    const b = bases[i];
    for (const l of L) {
      C.push(ci[l - 1] as G1);
      scalars.push(delta[3 * i + l - 1] as Fr);
    }
    if (b !== undefined) {
      for (const [P1, P2] of b) {
        base1.push(P1);
        base2.push(P2);
      }
      continue;
    }
    const y = lsss.rowLabels[i] as string;
    const k = occ[i] as number;
    const row = lsss.matrix[i] as readonly bigint[];
    for (const l of L) {
      base1.push(hAttr(y, k, l, 1));
      base2.push(hAttr(y, k, l, 2));
      const dl = frToBigint(delta[3 * i + l - 1] as Fr);
      const cl = c[l - 1] as bigint[];
      for (let j = 0; j < m; j++) {
        const x = row[j] as bigint;
        if (x !== 0n) cl[j] = (cl[j] as bigint) + dl * x;
      }
    }
  }
  for (const l of L) {
    const cl = c[l - 1] as bigint[];
    for (let j = 0; j < m; j++) {
      const x = (cl[j] as bigint) % groupOrder();
      if (x === 0n) continue;
      base1.push(hCol(j + 1, l, 1));
      base2.push(hCol(j + 1, l, 2));
      scalars.push(frFrom(x));
    }
  }
  const lhs = g1Msm(C, delta);
  const rhs = g1Msm([g1Msm(base1, scalars), g1Msm(base2, scalars)], [s1, s2]);
  return g1Eq(lhs, rhs);
}
