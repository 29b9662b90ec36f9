/**
 * fast-check generators and reference implementations for the policy tests.
 * The references are deliberately naive and independent of src/policy.
 */
import fc from 'fast-check';
import type { CmpOp, Policy } from '../../src/policy/index.js';

/** BN254 group order r (mcl's BN254 / BN_P254). */
export const R = 16798108731015832284940804142231733909759579603404752749028378864165570215949n;

export const PLAIN = ['a', 'b', 'c', 'd', 'e', 'dept:er', 'role/doctor', '/code', 'Dr. Smith', 'and', '42', 'x"y\\z'];
export const NUMERIC = ['age', 'level', 'Year X'];
export const WIDTHS = [1, 2, 3, 8, 32, 64];
const OPS: CmpOp[] = ['<', '<=', '>', '>=', '='];

/** A never-false-by-construction comparison node (never-true ones are filtered out). */
export const cmpArb: fc.Arbitrary<Policy> = fc
  .record({
    name: fc.constantFrom(...NUMERIC),
    op: fc.constantFrom(...OPS),
    bits: fc.constantFrom(...WIDTHS),
    r: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    edge: fc.constantFrom(0, 1, 2, 3),
  })
  .map(({ name, op, bits, r, edge }) => {
    const max = (1n << BigInt(bits)) - 1n;
    const value = edge === 1 ? 0n : edge === 2 ? max : r % (max + 1n);
    return { kind: 'cmp', name, op, value, bits } as Policy;
  })
  .filter(
    (n) =>
      n.kind === 'cmp' &&
      !((n.op === '<' && n.value === 0n) || (n.op === '>' && n.value === (1n << BigInt(n.bits)) - 1n)),
  );

/** Random hand-built (unfrozen) policy ASTs, optionally without `not` and comparisons. */
export function policyArb(opts: { not?: boolean; cmp?: boolean; names?: readonly string[]; maxDepth?: number } = {}) {
  const names = opts.names ?? PLAIN;
  const leaves: fc.Arbitrary<Policy>[] = [fc.constantFrom(...names).map((name) => ({ kind: 'attr', name }) as Policy)];
  if (opts.cmp !== false) leaves.push(cmpArb);
  const leaf = fc.oneof(...leaves);
  const { tree } = fc.letrec<{ tree: Policy }>((tie) => {
    const kids = fc.array(tie('tree'), { minLength: 1, maxLength: 4 });
    const branches: fc.Arbitrary<Policy>[] = [
      leaf,
      leaf,
      kids.map((children) => ({ kind: 'and', children }) as Policy),
      kids.map((children) => ({ kind: 'or', children }) as Policy),
      kids.chain((children) =>
        fc.integer({ min: 1, max: children.length }).map((k) => ({ kind: 'threshold', k, children }) as Policy),
      ),
    ];
    if (opts.not !== false) branches.push(tie('tree').map((child) => ({ kind: 'not', child }) as Policy));
    return { tree: fc.oneof({ maxDepth: opts.maxDepth ?? 4, depthIdentifier: 'policy' }, ...branches) };
  });
  return tree;
}

/** A key: some plain names and, per numeric name, one value at some widths where it fits. */
export interface RefKey {
  plain: Set<string>;
  nums: Map<string, { value: bigint; widths: Set<number> }>;
}

export const keyArb: fc.Arbitrary<RefKey> = fc
  .record({
    plain: fc.subarray(PLAIN),
    nums: fc.array(
      fc.record({
        name: fc.constantFrom(...NUMERIC),
        value: fc.oneof(fc.bigInt({ min: 0n, max: 8n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
        widths: fc.subarray(WIDTHS, { minLength: 1 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ plain, nums }) => {
    const m = new Map<string, { value: bigint; widths: Set<number> }>();
    for (const n of nums) {
      if (m.has(n.name)) continue;
      const widths = new Set(n.widths.filter((w) => n.value < 1n << BigInt(w)));
      if (widths.size > 0) m.set(n.name, { value: n.value, widths });
    }
    return { plain: new Set(plain), nums: m };
  });

function quote(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The key as attribute strings (`name`, `"quoted"`, `name#uW = v`). */
export function keyStrings(k: RefKey): string[] {
  const out: string[] = [];
  for (const p of k.plain) out.push(/^[A-Za-z0-9_\-.:/ ]+$/.test(p) && !p.includes('=') ? p : quote(p));
  for (const [name, { value, widths }] of k.nums) {
    const n = /^[A-Za-z0-9_\-.:/]+$/.test(name) ? name : quote(name);
    for (const w of widths) out.push(w === 32 && value % 2n === 0n ? `${n} =${value}` : `${n}#u${w} = ${value}`);
  }
  return out;
}

function compare(op: CmpOp, x: bigint, c: bigint): boolean {
  switch (op) {
    case '<':
      return x < c;
    case '<=':
      return x <= c;
    case '>':
      return x > c;
    case '>=':
      return x >= c;
    default:
      return x === c;
  }
}

/** Direct tree evaluation with integer comparisons. */
export function refEval(n: Policy, k: RefKey): boolean {
  switch (n.kind) {
    case 'attr':
      return k.plain.has(n.name);
    case 'and':
      return n.children.every((c) => refEval(c, k));
    case 'or':
      return n.children.some((c) => refEval(c, k));
    case 'threshold':
      return n.children.filter((c) => refEval(c, k)).length >= n.k;
    case 'not':
      return !refEval(n.child, k);
    case 'cmp': {
      const v = k.nums.get(n.name);
      return v?.widths.has(n.bits) === true && compare(n.op, v.value, n.value);
    }
  }
}

/** Evaluate a monotone tree where leaf i (left to right) is true iff `rows.has(i)`. */
export function evalRows(m: Policy, rows: ReadonlySet<number>): boolean {
  let i = 0;
  const walk = (n: Policy): boolean => {
    switch (n.kind) {
      case 'attr':
        return rows.has(i++);
      case 'and':
        return n.children.map(walk).every(Boolean);
      case 'or':
        return n.children.map(walk).some(Boolean);
      case 'threshold':
        return n.children.map(walk).filter(Boolean).length >= n.k;
      default:
        throw new Error('not monotone');
    }
  };
  return walk(m);
}

/** Independent dense Gaussian elimination: is (1, 0, ..., 0) in the row span of `vecs` mod p? */
export function unitInSpan(vecs: readonly (readonly bigint[])[], cols: number, p: bigint): boolean {
  const md = (x: bigint) => ((x % p) + p) % p;
  const pw = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    let x = md(b);
    while (e > 0n) {
      if (e & 1n) r = (r * x) % p;
      x = (x * x) % p;
      e >>= 1n;
    }
    return r;
  };
  // Rank of the rows vs rank of the rows plus e1.
  const rank = (rows: bigint[][]): number => {
    const a = rows.map((r) => r.slice());
    let rk = 0;
    for (let c = 0; c < cols && rk < a.length; c++) {
      const s = a.findIndex((r, i) => i >= rk && r[c] !== 0n);
      if (s < 0) continue;
      [a[rk], a[s]] = [a[s] as bigint[], a[rk] as bigint[]];
      const piv = a[rk] as bigint[];
      const f = pw(piv[c] as bigint, p - 2n);
      for (let i = 0; i < a.length; i++) {
        if (i === rk) continue;
        const row = a[i] as bigint[];
        const g = md((row[c] as bigint) * f);
        if (g === 0n) continue;
        for (let j = 0; j < cols; j++) row[j] = md((row[j] as bigint) - g * (piv[j] as bigint));
      }
      rk++;
    }
    return rk;
  };
  const base = vecs.map((v) => [...v]);
  const e1 = Array.from({ length: cols }, (_, i) => (i === 0 ? 1n : 0n));
  return rank(base) === rank([...base, e1]);
}
