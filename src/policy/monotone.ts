/**
 * The monotone form used by CP-ABE: the canonical policy with every numeric
 * comparison compiled to and/or gates over bit attributes (BSW07 §4.3, see
 * internal/numeric.ts), canonicalized again. Its leaves, left to right, are the
 * rows of the LSSS matrix.
 */
import { PolicySyntaxError } from '../errors.js';
import { mkAnd, mkOr, mkThreshold, type NotNode, type Policy } from './ast.js';
import { canonical } from './internal/canonical.js';
import { compileCmp } from './internal/numeric.js';
import { checkPolicy } from './internal/validate.js';
import { notColumns } from './parse.js';

const cache = new WeakMap<Policy, Policy>();

function findNot(p: Policy): NotNode | null {
  const stack: Policy[] = [p];
  while (stack.length > 0) {
    const n = stack.pop() as Policy;
    if (n.kind === 'not') return n;
    if (n.kind === 'and' || n.kind === 'or' || n.kind === 'threshold') {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Policy);
    }
  }
  return null;
}

function compile(n: Policy): Policy {
  switch (n.kind) {
    case 'attr':
      return n;
    case 'cmp':
      return compileCmp(n.name, n.op, n.value, n.bits);
    case 'and':
      return mkAnd(n.children.map(compile));
    case 'or':
      return mkOr(n.children.map(compile));
    case 'threshold':
      return mkThreshold(n.k, n.children.map(compile));
    case 'not':
      throw new PolicySyntaxError('not is not allowed in a monotone policy (CP-ABE)');
  }
}

/** The canonical monotone tree of a policy (validated, cached). Internal to the module. */
export function monotoneTree(policy: Policy): Policy {
  const p = checkPolicy(policy);
  const hit = cache.get(p);
  if (hit !== undefined) return hit;
  const not = findNot(p);
  if (not !== null)
    throw new PolicySyntaxError('not is not allowed in a monotone policy (CP-ABE)', notColumns.get(not));
  const m = canonical(compile(canonical(p)));
  cache.set(p, m);
  cache.set(m, m);
  return m;
}

/**
 * The monotone form of a policy: numeric comparisons compiled into and/or
 * gates over reserved bit attributes (`level#u32[3]=1`, Bethencourt–Sahai–Waters
 * 2007 §4.3), in canonical form. Plain attributes and gates are kept.
 *
 * @param policy - a policy
 * @returns the monotone policy (comparison-free, `not`-free)
 * @throws {PolicySyntaxError} `not is not allowed in a monotone policy (CP-ABE)` (with the column when known)
 * @throws {InvalidArgumentError} if `policy` is not a valid policy object
 * @example
 * ```ts
 * import { formatPolicy, parsePolicy, toMonotone } from 'bpds/policy';
 * formatPolicy(toMonotone(parsePolicy('level#u2 >= 2')));
 * // 'level#u2[1]=1'
 * ```
 */
export function toMonotone(policy: Policy): Policy {
  return monotoneTree(policy);
}

/** Leaf labels of a monotone tree in left-to-right order. */
export function leavesOf(m: Policy): string[] {
  const out: string[] = [];
  const stack: Policy[] = [m];
  while (stack.length > 0) {
    const n = stack.pop() as Policy;
    if (n.kind === 'attr') out.push(n.name);
    else if (n.kind === 'and' || n.kind === 'or' || n.kind === 'threshold') {
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Policy);
    }
  }
  return out;
}

/**
 * The leaf labels of `toMonotone(policy)` in left-to-right order: the row
 * labels of `toLsss(policy, r)`, in the same order. A label may repeat.
 *
 * @param policy - a policy
 * @returns leaf labels (plain attribute names and bit labels such as `age#u32[4]=1`)
 * @throws {PolicySyntaxError} if the policy contains `not`
 * @throws {InvalidArgumentError} if `policy` is not a valid policy object
 * @example
 * ```ts
 * import { parsePolicy, policyLeaves } from 'bpds/policy';
 * policyLeaves(parsePolicy('b and (c or a)')); // ['a', 'c', 'b'] (canonical order)
 * ```
 */
export function policyLeaves(policy: Policy): string[] {
  return leavesOf(monotoneTree(policy));
}
