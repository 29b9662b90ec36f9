/**
 * Minimum satisfying sets over a monotone tree, by dynamic programming on the
 * tree (a leaf costs 1, AND adds, OR takes the cheapest operand, `k of n` the k
 * cheapest), and the LSSS reconstruction coefficients of a chosen set read off
 * the same tree (Lagrange coefficients at 0 for threshold gates). Internal.
 */
import type { Policy } from '../ast.js';
import { inv, mod } from './field.js';

/** A chosen satisfying subtree. */
export type Pick =
  | { readonly t: 'leaf'; readonly row: number }
  | { readonly t: 'all'; readonly parts: readonly Pick[] }
  | { readonly t: 'some'; readonly parts: readonly (readonly [number, Pick])[] };

interface Best {
  readonly cost: number;
  readonly pick: Pick | null;
}

const NONE: Best = { cost: Number.POSITIVE_INFINITY, pick: null };

/**
 * A minimum-size set of leaves (rows) of the monotone tree `m` satisfying it,
 * using only leaves for which `available(row, label)` holds; `null` if none.
 * Ties go to the leftmost choice, so the result is deterministic.
 */
export function selectRows(m: Policy, available: (row: number, label: string) => boolean): Pick | null {
  let next = 0;
  const walk = (n: Policy): Best => {
    switch (n.kind) {
      case 'attr': {
        const row = next++;
        return available(row, n.name) ? { cost: 1, pick: { t: 'leaf', row } } : NONE;
      }
      case 'and': {
        const rs = n.children.map(walk);
        if (rs.some((r) => r.pick === null)) return NONE;
        return { cost: rs.reduce((s, r) => s + r.cost, 0), pick: { t: 'all', parts: rs.map((r) => r.pick as Pick) } };
      }
      case 'or': {
        let best = NONE;
        for (const r of n.children.map(walk)) if (r.cost < best.cost) best = r;
        return best;
      }
      case 'threshold': {
        const rs = n.children.map(walk);
        const sat = rs
          .map((r, i) => [i + 1, r] as const)
          .filter((e) => e[1].pick !== null)
          .sort((a, b) => a[1].cost - b[1].cost || a[0] - b[0]);
        if (sat.length < n.k) return NONE;
        const chosen = sat.slice(0, n.k).sort((a, b) => a[0] - b[0]);
        return {
          cost: chosen.reduce((s, e) => s + e[1].cost, 0),
          pick: { t: 'some', parts: chosen.map((e) => [e[0], e[1].pick as Pick] as const) },
        };
      }
      default:
        throw new Error('selectRows: not a monotone tree');
    }
  };
  return walk(m).pick;
}

/** Rows of a pick, ascending. */
export function pickRows(pick: Pick): number[] {
  const out: number[] = [];
  const stack: Pick[] = [pick];
  while (stack.length > 0) {
    const q = stack.pop() as Pick;
    if (q.t === 'leaf') out.push(q.row);
    else if (q.t === 'all') stack.push(...q.parts);
    else for (const [, s] of q.parts) stack.push(s);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Lagrange coefficients at 0 for the distinct small positive points `xs`, mod p:
 * lambda_j = prod_{m != j} m / (m - j) = (prod_m m) / (j * prod_{m != j} (m - j)).
 * The small-integer products are accumulated in doubles (exact below 2^53) before
 * each bigint multiplication, and all denominators share one batch inversion.
 */
function lagrange0(xs: readonly number[], p: bigint): bigint[] {
  const LIMIT = 2 ** 40; // acc * |m - j| stays below 2^53 for |m - j| <= 4096
  let all = 1n;
  for (const x of xs) all = (all * BigInt(x)) % p;
  const dens = xs.map((j) => {
    let d = BigInt(j);
    let acc = 1;
    let negative = false;
    for (const m of xs) {
      if (m === j) continue;
      const diff = m - j;
      if (diff < 0) negative = !negative;
      acc *= Math.abs(diff);
      if (acc >= LIMIT) {
        d = (d * BigInt(acc)) % p;
        acc = 1;
      }
    }
    d = (d * BigInt(acc)) % p;
    return negative ? mod(-d, p) : d;
  });
  // Montgomery batch inversion: one inversion for all denominators.
  const prefix: bigint[] = [];
  let run = 1n;
  for (const d of dens) {
    prefix.push(run);
    run = (run * d) % p;
  }
  let invRun = inv(run, p);
  const out = new Array<bigint>(dens.length);
  for (let i = dens.length - 1; i >= 0; i--) {
    out[i] = (((invRun * (prefix[i] as bigint)) % p) * all) % p;
    invRun = (invRun * (dens[i] as bigint)) % p;
  }
  return out;
}

/**
 * Coefficients w_row of the rows of `pick` with sum w_row * M_row = (1, 0, ..., 0)
 * for the matrix that `toLsss` builds from the same tree (AND/OR: Lewko–Waters,
 * coefficient 1; thresholds: Vandermonde rows at x = 1..n, Lagrange at 0).
 */
export function pickCoefficients(pick: Pick, p: bigint): Map<number, bigint> {
  const out = new Map<number, bigint>();
  const stack: [Pick, bigint][] = [[pick, 1n]];
  while (stack.length > 0) {
    const [q, f] = stack.pop() as [Pick, bigint];
    if (q.t === 'leaf') out.set(q.row, f);
    else if (q.t === 'all') for (const s of q.parts) stack.push([s, f]);
    else {
      const lambdas = lagrange0(
        q.parts.map((e) => e[0]),
        p,
      );
      q.parts.forEach(([, s], i) => {
        stack.push([s, (f * (lambdas[i] as bigint)) % p]);
      });
    }
  }
  return out;
}
