/**
 * Resolving the rows a decapsulation uses. Internal.
 */
import { DecryptionError } from '../../../errors.js';
import { groupOrder } from '../../../pairing/index.js';
import type { Lsss } from '../../scheme.js';

/** The additive inverse mod r of a coefficient w in [1, r) (as {@link UsedRow} carries). */
export const negMod = (w: bigint): bigint => groupOrder() - w;

/** One used row: index i, label rho(i), reconstruction coefficient w_i (non-zero, in [0, r)). */
export interface UsedRow {
  readonly i: number;
  readonly label: string;
  readonly w: bigint;
}

/**
 * Check `rows`/`coeffs` against the LSSS, the ciphertext row count and the key's
 * labels; drop rows with w_i = 0 and group the rest by label (rows sharing a
 * label can share one pairing).
 * @throws {DecryptionError} (generic) when a row is out of range, repeated,
 *   its label is not held by the key, or the shapes disagree.
 * @example
 * ```ts
 * const lsss = { matrix: [[1n], [1n]], rowLabels: ['a', 'b'] };
 * resolveRows(lsss, 2, [1], [1n], (x) => x === 'b'); // Map { 'b' => [{ i: 1, label: 'b', w: 1n }] }
 * ```
 */
export function resolveRows(
  lsss: Lsss,
  ctRows: number,
  rows: readonly number[],
  coeffs: readonly bigint[],
  holds: (label: string) => boolean,
): Map<string, UsedRow[]> {
  const n = lsss.matrix.length;
  if (ctRows !== n || lsss.rowLabels.length !== n || rows.length !== coeffs.length) throw new DecryptionError();
  const seen = new Set<number>();
  const groups = new Map<string, UsedRow[]>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const c = coeffs[k];
    if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 0 || i >= n || seen.has(i)) {
      throw new DecryptionError();
    }
    seen.add(i);
    if (typeof c !== 'bigint') throw new DecryptionError();
    const w = ((c % groupOrder()) + groupOrder()) % groupOrder();
    const label = lsss.rowLabels[i] as string;
    if (!holds(label)) throw new DecryptionError();
    if (w === 0n) continue;
    const g = groups.get(label);
    if (g === undefined) groups.set(label, [{ i, label, w }]);
    else g.push({ i, label, w });
  }
  return groups;
}
