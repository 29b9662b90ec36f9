/**
 * LSSS secret sharing for Waters11 and BSW07 (Beimel's LSSS, as used in
 * Waters, PKC 2011, §2.2 and §3): lambda_i = M_i · v with v = (s, y_2, ..., y_m).
 * Internal.
 */
import { InvalidArgumentError } from '../../../errors.js';
import { type Fr, frFrom, frIsZero, frToBigint, groupOrder } from '../../../pairing/index.js';
import type { Lsss, ScalarSource } from '../../scheme.js';
import { MAX_ROWS } from './limits.js';

/**
 * Check an LSSS's shape: 1..MAX_ROWS rows of the same width m >= 1, one label per
 * row, entries bigints in [0, r).
 * @throws {InvalidArgumentError}
 * @example
 * ```ts
 * checkLsss({ matrix: [[1n, 1n], [0n, groupOrder() - 1n]], rowLabels: ['a', 'b'] }); // { n: 2, m: 2 }
 * ```
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
      if (typeof x !== 'bigint' || x < 0n || x >= groupOrder()) {
        throw new InvalidArgumentError('"lsss" entries must be bigints in [0, r)');
      }
    }
  }
  return { n, m };
}

/**
 * Draw a non-zero scalar from `rand` (redraw on the negligible zero). A source
 * that keeps returning zero is broken: fail instead of looping forever.
 * @throws {RangeError} after 8 zero draws in a row
 * @example
 * ```ts
 * const t = drawNonZero(frRandom);
 * ```
 */
export function drawNonZero(rand: ScalarSource): Fr {
  for (let k = 0; k < 8; k++) {
    const x = rand();
    if (!frIsZero(x)) return x;
  }
  throw new RangeError('scalar source returned zero 8 times in a row');
}

/**
 * The shares of s: draws s (non-zero), then y_2, ..., y_m from `rand` (in this order), and
 * returns s and lambda_i = M_i · (s, y_2, ..., y_m) for every row i.
 * @throws {RangeError} from {@link drawNonZero} for a broken source
 * @example
 * ```ts
 * const { s, lambda } = shareSecret({ matrix: [[1n], [1n]], rowLabels: ['a', 'b'] }, 1, frRandom); // lambda = [s, s]
 * ```
 */
export function shareSecret(lsss: Lsss, m: number, rand: ScalarSource): { s: Fr; lambda: Fr[] } {
  const v: Fr[] = [drawNonZero(rand)];
  for (let j = 1; j < m; j++) v.push(rand());
  const s = v[0] as Fr;
  // The matrix-vector product in bigint arithmetic, reduced once per row: a dense
  // (threshold) row costs one bigint multiply-add per entry, not an Fr conversion.
  const vInt = v.map(frToBigint);
  const lambda = lsss.matrix.map((row) => frFrom(dot(row, vInt)));
  return { s, lambda };
}

/** M_i · v (unreduced), skipping zero entries. */
function dot(row: readonly bigint[], v: readonly bigint[]): bigint {
  let acc = 0n;
  for (let j = 0; j < row.length; j++) {
    const x = row[j] as bigint;
    if (x !== 0n) acc += x * (v[j] as bigint);
  }
  return acc;
}

export { batchWeights } from '../../internal/weights.js';
