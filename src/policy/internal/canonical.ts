/**
 * The canonical form of a policy: nested and/or flattened, duplicate and/or
 * operands removed, operands of and/or/threshold sorted by their canonical
 * text, `1 of` turned into `or` and `n of n` into `and`, `not not x` into `x`,
 * and comparisons normalized (`age > 17` is `age >= 18`). Equivalent
 * spellings of the same policy get the same canonical tree and text. Internal.
 */
import { type CmpOp, isTrusted, LIMITS, mkAnd, mkAttr, mkCmp, mkNot, mkOr, mkThreshold, type Policy } from '../ast.js';
import { formatLabel, formatName } from './names.js';
import { normalizeCmp } from './numeric.js';

const cache = new WeakMap<Policy, Policy>();
const texts = new WeakMap<Policy, string>();

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function done(n: Policy, text: string): Policy {
  texts.set(n, text);
  return n;
}

/** Canonical text of a canonical node. */
export function canonicalText(c: Policy): string {
  const t = texts.get(c);
  if (t === undefined) throw new Error('canonicalText: not a canonical node');
  return t;
}

function wrap(c: Policy): string {
  const t = canonicalText(c);
  return c.kind === 'and' || c.kind === 'or' ? `(${t})` : t;
}

/** and/or of canonical operands: flatten, dedupe, sort, collapse a single operand. */
function gather(kind: 'and' | 'or', operands: readonly Policy[]): Policy {
  const flat: Policy[] = [];
  for (const c of operands) {
    if (c.kind === kind) flat.push(...c.children);
    else flat.push(c);
  }
  const seen = new Map<string, Policy>();
  for (const c of flat) {
    const t = canonicalText(c);
    if (!seen.has(t)) seen.set(t, c);
  }
  const list = [...seen.entries()].sort((a, b) => byText(a[0], b[0])).map((e) => e[1]);
  if (list.length === 1) return list[0] as Policy;
  const node = kind === 'and' ? mkAnd(list) : mkOr(list);
  return done(node, list.map(wrap).join(` ${kind} `));
}

function canon(n: Policy): Policy {
  const hit = cache.get(n);
  if (hit !== undefined) return hit;
  const c = build(n);
  if (isTrusted(n)) cache.set(n, c);
  cache.set(c, c);
  return c;
}

function build(n: Policy): Policy {
  switch (n.kind) {
    case 'attr':
      return done(mkAttr(n.name), formatLabel(n.name));
    case 'cmp': {
      const norm = normalizeCmp(n.op, n.value, n.bits);
      if (norm === null) throw new Error('canonical: comparison is never true');
      const op: CmpOp = norm.kind === 'any' || norm.kind === 'ge' ? '>=' : norm.kind === 'le' ? '<=' : '=';
      const width = n.bits === LIMITS.bits ? '' : `#u${n.bits}`;
      return done(mkCmp(n.name, op, norm.value, n.bits), `${formatName(n.name)}${width} ${op} ${norm.value}`);
    }
    case 'not': {
      const c = canon(n.child);
      if (c.kind === 'not') return c.child;
      return done(mkNot(c), c.kind === 'attr' ? `not ${canonicalText(c)}` : `not (${canonicalText(c)})`);
    }
    case 'and':
    case 'or':
      return gather(n.kind, n.children.map(canon));
    case 'threshold': {
      const cs = n.children.map(canon);
      if (n.k === 1) return gather('or', cs);
      if (n.k === cs.length) return gather('and', cs);
      const sorted = cs
        .map((c) => [canonicalText(c), c] as const)
        .sort((a, b) => byText(a[0], b[0]))
        .map((e) => e[1]);
      return done(mkThreshold(n.k, sorted), `${n.k} of (${sorted.map(canonicalText).join(', ')})`);
    }
  }
}

/** The canonical tree of a validated policy (cached for module-built trees). */
export function canonical(p: Policy): Policy {
  return canon(p);
}
