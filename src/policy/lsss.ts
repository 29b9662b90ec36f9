/**
 * Linear secret-sharing schemes (LSSS) from monotone policies.
 *
 * AND and OR gates: Lewko and Waters, "Decentralizing Attribute-Based
 * Encryption", EUROCRYPT 2011, Appendix G. Start with the root labelled by the
 * vector (1) and a counter c = 1. An OR gate passes its vector v to every child.
 * An AND gate with vector v (padded with zeros to length c) gives its first
 * child v|1 and its second (0,...,0)|-1, then c = c + 1; our n-ary AND is the
 * same construction applied to the chain a and (b and (c ...)), i.e. children
 * v|1, (0..0|-1|1), ..., (0..0|-1), adding n-1 columns. Entries are 0, 1 or -1.
 *
 * Threshold gates `k of (x_1..x_n)`: the Vandermonde generalization (Shamir
 * sharing embedded in the matrix, as in Liu–Cao–Wong's threshold-gate LSSS
 * conversion): with vector v and k-1 new columns c+1..c+k-1, child j gets
 * v | (j, j^2, ..., j^(k-1)), so child j's share is q(j) for the polynomial
 * q(x) = v·u + u_{c+1} x + ... + u_{c+k-1} x^(k-1) with q(0) = the gate's share;
 * any k children reconstruct with Lagrange coefficients at 0, fewer learn nothing.
 * `1 of n` is an OR and `n of n` an AND (the canonical form makes them so).
 *
 * Row i is labelled by leaf i of the monotone policy, left to right.
 */
import { InvalidArgumentError, PolicyNotSatisfiedError, PolicySyntaxError } from '../errors.js';
import { describe } from '../internal/assert.js';
import { LIMITS, type Policy } from './ast.js';
import { isProbablePrime, mod, solveUnit } from './internal/field.js';
import { pickCoefficients, selectRows } from './internal/select.js';
import { monotoneTree } from './monotone.js';

/** A linear secret-sharing scheme: rows over Z_p, row i labelled by attribute rho(i) = rowLabels[i]. */
export interface Lsss {
  /** Row-major n x m matrix, entries in [0, p). */
  readonly matrix: readonly (readonly bigint[])[];
  /** rowLabels[i] is the (expanded) attribute of row i. */
  readonly rowLabels: readonly string[];
}

interface Meta {
  readonly tree: Policy;
  readonly modulus: bigint;
  readonly cols: number;
}

const metas = new WeakMap<Lsss, Meta>();

/** Largest matrix (rows x columns) accepted from outside. */
const MAX_CELLS = 1 << 24;

function checkModulus(modulus: unknown): bigint {
  if (typeof modulus !== 'bigint' || modulus <= BigInt(LIMITS.hardMaxLeaves) || !isProbablePrime(modulus)) {
    throw new InvalidArgumentError(
      `"modulus" expected a prime bigint greater than ${LIMITS.hardMaxLeaves}, got ${typeof modulus === 'bigint' ? 'a bigint that is not' : describe(modulus)}`,
    );
  }
  return modulus;
}

/**
 * The LSSS matrix of a monotone policy over Z_p (numeric comparisons are
 * compiled first, see {@link toMonotone}). Rows follow {@link policyLeaves}.
 * AND/OR gates use Lewko–Waters (2011, Appendix G); `k of n` gates use
 * Vandermonde rows (j, j^2, ..., j^(k-1)) for child j = 1..n.
 * The result is frozen.
 *
 * @param policy - a policy without `not`
 * @param modulus - the prime group order p (e.g. BN254's r), > 4096
 * @returns `{ matrix, rowLabels }`
 * @throws {PolicySyntaxError} if the policy contains `not`, or its matrix would have more than
 *   `POLICY_LIMITS.maxLsssEntries` non-zero entries (large thresholds)
 * @throws {InvalidArgumentError} for an invalid policy object or modulus
 * @example
 * ```ts
 * import { parsePolicy, toLsss } from 'bpds/policy';
 * const r = 16798108731015832284940804142231733909759579603404752749028378864165570215949n;
 * const { matrix, rowLabels } = toLsss(parsePolicy('a and b'), r);
 * // rowLabels = ['a', 'b'], matrix = [[1n, 1n], [0n, r - 1n]]
 * ```
 */
export function toLsss(policy: Policy, modulus: bigint): Lsss {
  const p = checkModulus(modulus);
  const tree = monotoneTree(policy);
  const entries = nonZeroEntries(tree);
  if (entries > LIMITS.maxLsssEntries) {
    throw new PolicySyntaxError(
      `policy too large: its LSSS matrix would have ${entries} non-zero entries (limit ${LIMITS.maxLsssEntries}; a "k of n" gate adds k - 1 per child)`,
    );
  }
  const rows: Map<number, bigint>[] = [];
  const labels: string[] = [];
  let c = 1;
  const minus1 = p - 1n;
  const gen = (n: Policy, v: Map<number, bigint>): void => {
    switch (n.kind) {
      case 'attr':
        rows.push(v);
        labels.push(n.name);
        return;
      case 'or':
        for (const ch of n.children) gen(ch, v);
        return;
      case 'and': {
        const m = n.children.length;
        const base = c;
        c += m - 1;
        n.children.forEach((ch, j) => {
          const u = j === 0 ? new Map(v) : new Map<number, bigint>();
          if (j > 0) u.set(base + j - 1, minus1);
          if (j < m - 1) u.set(base + j, 1n);
          gen(ch, u);
        });
        return;
      }
      case 'threshold': {
        const base = c;
        c += n.k - 1;
        n.children.forEach((ch, idx) => {
          const x = BigInt(idx + 1);
          const u = new Map(v);
          let xt = 1n;
          for (let t = 1; t < n.k; t++) {
            xt = (xt * x) % p;
            u.set(base + t - 1, xt);
          }
          gen(ch, u);
        });
        return;
      }
      default:
        throw new Error('toLsss: not a monotone tree');
    }
  };
  gen(tree, new Map([[0, 1n]]));
  const matrix = rows.map((r) => {
    const row = new Array<bigint>(c).fill(0n);
    for (const [col, x] of r) row[col] = x;
    return Object.freeze(row);
  });
  const lsss: Lsss = Object.freeze({ matrix: Object.freeze(matrix), rowLabels: Object.freeze(labels) });
  metas.set(lsss, { tree, modulus: p, cols: c });
  return lsss;
}

/**
 * The number of non-zero entries of the matrix {@link toLsss} builds from a monotone tree,
 * counted on the tree in linear time (before anything is built): a leaf's row has its
 * parent vector's entries plus what its gates add (AND: the chain's ±1 entries; `k of n`:
 * k - 1 powers).
 */
function nonZeroEntries(tree: Policy): number {
  let total = 0;
  const walk = (n: Policy, nz: number): void => {
    switch (n.kind) {
      case 'attr':
        total += nz;
        return;
      case 'or':
        for (const ch of n.children) walk(ch, nz);
        return;
      case 'and': {
        const m = n.children.length;
        n.children.forEach((ch, j) => {
          walk(ch, (j === 0 ? nz : 0) + (j > 0 ? 1 : 0) + (j < m - 1 ? 1 : 0));
        });
        return;
      }
      case 'threshold':
        for (const ch of n.children) walk(ch, nz + n.k - 1);
        return;
      default:
        throw new Error('toLsss: not a monotone tree');
    }
  };
  walk(tree, 1);
  return total;
}

function checkLsss(lsss: unknown, p: bigint): { matrix: readonly (readonly bigint[])[]; cols: number } {
  const bad = (what: string): never => {
    throw new InvalidArgumentError(`"lsss" is not a valid LSSS: ${what}`);
  };
  if (typeof lsss !== 'object' || lsss === null) return bad(`expected object, got ${describe(lsss)}`);
  const { matrix, rowLabels } = lsss as Record<string, unknown>;
  if (!Array.isArray(matrix) || matrix.length === 0) return bad('matrix must be a non-empty array');
  if (!Array.isArray(rowLabels) || rowLabels.length !== matrix.length)
    return bad('rowLabels must have one label per row');
  if (!rowLabels.every((l) => typeof l === 'string')) bad('rowLabels must be strings');
  const first = matrix[0];
  if (!Array.isArray(first) || first.length === 0) return bad('rows must be non-empty arrays');
  const cols = first.length;
  if (matrix.length * cols > MAX_CELLS) bad(`more than ${MAX_CELLS} entries`);
  for (const row of matrix) {
    if (!Array.isArray(row) || row.length !== cols) bad('rows must all have the same length');
    for (const x of row as unknown[])
      if (typeof x !== 'bigint' || x < 0n || x >= p) bad('entries must be bigints in [0, modulus)');
  }
  return { matrix: matrix as bigint[][], cols };
}

/**
 * Reconstruction coefficients: w (one per entry of `rows`) with
 * sum_i w_i * matrix[rows[i]] = (1, 0, ..., 0) mod p, so that the shares
 * lambda_i = M_i · u of a secret s = u_1 recombine as s = sum_i w_i lambda_i.
 * For an LSSS from {@link toLsss} (same object, same modulus) the coefficients
 * come from the policy tree (a minimum satisfying subset gets non-zero
 * coefficients, other rows 0); for any other LSSS, Gaussian elimination over Z_p
 * decides. Both are correct for any row set.
 *
 * @param lsss - an LSSS (normally from {@link toLsss})
 * @param rows - row indices the key can use, e.g. from {@link minimalSatisfyingSet}
 * @param modulus - the prime p the LSSS is over
 * @returns the coefficients, in [0, p), aligned with `rows`
 * @throws {PolicyNotSatisfiedError} if (1, 0, ..., 0) is not in the span of the rows
 * @throws {InvalidArgumentError} for a malformed LSSS, row index or modulus
 * @example
 * ```ts
 * import { parsePolicy, reconstructionCoefficients, toLsss } from 'bpds/policy';
 * const r = 16798108731015832284940804142231733909759579603404752749028378864165570215949n;
 * const lsss = toLsss(parsePolicy('2 of (a, b, c)'), r);
 * const w = reconstructionCoefficients(lsss, [0, 2], r); // Lagrange at 0 for x = 1, 3
 * ```
 */
export function reconstructionCoefficients(lsss: Lsss, rows: readonly number[], modulus: bigint): bigint[] {
  const p = checkModulus(modulus);
  const meta = metas.get(lsss);
  const { matrix, cols } =
    meta !== undefined && meta.modulus === p ? { matrix: lsss.matrix, cols: meta.cols } : checkLsss(lsss, p);
  if (!Array.isArray(rows)) throw new InvalidArgumentError(`"rows" expected Array, got ${describe(rows)}`);
  rows.forEach((r, i) => {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= matrix.length) {
      throw new InvalidArgumentError(
        `"rows[${i}]" expected a row index from 0 to ${matrix.length - 1}, got ${String(r)}`,
      );
    }
  });
  if (meta !== undefined && meta.modulus === p) {
    const have = new Set(rows);
    const pick = selectRows(meta.tree, (row) => have.has(row));
    if (pick === null) throw new PolicyNotSatisfiedError();
    const coeffs = pickCoefficients(pick, p);
    // Correct by construction (and property-tested against an independent rank check).
    return rows.map((r) => {
      const x = coeffs.get(r);
      coeffs.delete(r); // a repeated row index gets 0 after its first occurrence
      return x === undefined ? 0n : mod(x, p);
    });
  }
  const w = solveUnit(
    rows.map((r) => matrix[r] as readonly bigint[]),
    cols,
    p,
  );
  if (w === null) throw new PolicyNotSatisfiedError();
  return w;
}
