/**
 * Policy evaluation against a set of attributes, and minimum satisfying sets.
 */
import { InvalidArgumentError } from '../errors.js';
import { assertObject, describe } from '../internal/assert.js';
import type { Policy } from './ast.js';
import { parseBitLabel } from './internal/names.js';
import { compileCmp } from './internal/numeric.js';
import { pickRows, selectRows } from './internal/select.js';
import { checkPolicy } from './internal/validate.js';
import { collectKeyAttributes, keyBits } from './keys.js';
import { monotoneTree } from './monotone.js';

/** Options of {@link satisfies}. */
export interface SatisfiesOptions {
  /** Width of numeric key assignments without `#uN`. Default 32. */
  bits?: number;
  /**
   * Treat every entry as a literal attribute name (no `name = value` parsing):
   * for extraction rules over JSON Pointers, whose keys may contain `=`.
   * Numeric comparisons and bit leaves are then never satisfied. Default false.
   */
  literal?: boolean;
}

function evaluate(n: Policy, has: (label: string) => boolean, literal: boolean): boolean {
  switch (n.kind) {
    case 'attr':
      return has(n.name);
    case 'and':
      return n.children.every((c) => evaluate(c, has, literal));
    case 'or':
      return n.children.some((c) => evaluate(c, has, literal));
    case 'threshold': {
      let yes = 0;
      let left = n.children.length;
      for (const c of n.children) {
        if (evaluate(c, has, literal)) yes++;
        left--;
        if (yes >= n.k) return true;
        if (yes + left < n.k) return false;
      }
      return false;
    }
    case 'not':
      return !evaluate(n.child, has, literal);
    case 'cmp':
      return !literal && evaluate(compileCmp(n.name, n.op, n.value, n.bits), has, literal);
  }
}

function literalSet(attributes: Iterable<string>): Set<string> {
  if (
    typeof attributes !== 'object' ||
    attributes === null ||
    typeof (attributes as Iterable<string>)[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidArgumentError(`"attributes" expected an iterable of strings, got ${describe(attributes)}`);
  }
  const set = new Set<string>();
  let i = 0;
  for (const a of attributes) {
    if (typeof a !== 'string') throw new InvalidArgumentError(`"attributes[${i}]" expected string, got ${describe(a)}`);
    set.add(a);
    i++;
  }
  return set;
}

/**
 * Whether `attributes` satisfy `policy`. Attributes are key attributes as an
 * authority writes them (see {@link expandKeyAttributes}): plain names and
 * numeric assignments `level = 3`; already-expanded bit labels are accepted too.
 * A comparison holds when the key assigns the attribute a value (at the
 * comparison's width) that satisfies it. `not` is evaluated normally here.
 *
 * @param policy - a policy
 * @param attributes - key attributes (or, with `literal`, plain names such as disclosed JSON Pointers)
 * @param options - `bits` (default width of assignments), `literal`
 * @returns true when satisfied
 * @throws {InvalidArgumentError} for an invalid policy object or attribute entry (named)
 * @example
 * ```ts
 * import { parsePolicy, satisfies } from 'bpds/policy';
 * const p = parsePolicy('dept:cardiology and clearance >= 3');
 * satisfies(p, ['dept:cardiology', 'clearance = 4']); // true
 * satisfies(p, ['dept:cardiology', 'clearance = 2']); // false
 * ```
 */
export function satisfies(policy: Policy, attributes: Iterable<string>, options?: SatisfiesOptions): boolean {
  const p = checkPolicy(policy);
  if (options !== undefined) assertObject(options, 'options');
  const literal = options?.literal;
  if (literal !== undefined && typeof literal !== 'boolean') {
    throw new InvalidArgumentError(`"options.literal" expected boolean, got ${describe(literal)}`);
  }
  if (literal === true) {
    const set = literalSet(attributes);
    return evaluate(p, (label) => parseBitLabel(label) === null && set.has(label), true);
  }
  const set = collectKeyAttributes(attributes, 'attributes', keyBits(options), true);
  return evaluate(p, (label) => set.has(label), false);
}

/**
 * A minimum-size set of LSSS rows (indices into {@link policyLeaves} and the
 * rows of {@link toLsss}) whose labels the key holds and that satisfies the
 * monotone policy, or `null` if the key does not satisfy it. Computed by
 * dynamic programming on the policy tree (linear time), so CP-ABE decryption
 * touches as few ciphertext rows as possible. Ties go to the leftmost rows.
 *
 * @param policy - a policy without `not`
 * @param attributes - key attributes (as for {@link satisfies}, bit labels accepted)
 * @param options - `bits`: default width of numeric assignments (32)
 * @returns ascending row indices, or null
 * @throws {PolicySyntaxError} if the policy contains `not`
 * @throws {InvalidArgumentError} for an invalid policy object or attribute entry
 * @example
 * ```ts
 * import { minimalSatisfyingSet, parsePolicy } from 'bpds/policy';
 * const p = parsePolicy('(a and b and c) or d');
 * minimalSatisfyingSet(p, ['a', 'b', 'c', 'd']); // [3]: the single row of d
 * ```
 */
export function minimalSatisfyingSet(
  policy: Policy,
  attributes: Iterable<string>,
  options?: { bits?: number },
): number[] | null {
  const m = monotoneTree(policy);
  const set = collectKeyAttributes(attributes, 'attributes', keyBits(options), true);
  const pick = selectRows(m, (_row, label) => set.has(label));
  return pick === null ? null : pickRows(pick);
}
