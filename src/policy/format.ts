/**
 * Canonical text and digest of a policy.
 */
import { utf8 } from '../internal/bytes.js';
import { taggedHash } from '../internal/tagged-hash.js';
import type { Policy } from './ast.js';
import { canonical, canonicalText } from './internal/canonical.js';
import { checkPolicy } from './internal/validate.js';

/**
 * Tag of {@link policyDigest} (BIP-340-style tagged SHA-256).
 *
 * @example
 * ```ts
 * import { POLICY_DIGEST_TAG } from 'bpds/policy';
 * console.log(POLICY_DIGEST_TAG); // 'bpds/v1/policy'
 * ```
 */
export const POLICY_DIGEST_TAG = 'bpds/v1/policy';

/**
 * The canonical text of a policy: normalized spacing, nested and/or flattened,
 * duplicate and/or operands dropped, operands of and/or/threshold sorted, `1 of`
 * written as `or` and `n of n` as `and`, `not not x` as `x`, comparisons
 * normalized to `>=`, `<=` or `=` (`age > 17` is `age >= 18`), widths other
 * than 32 written as `#uN`. Equivalent spellings of a policy give identical text,
 * and `parsePolicy(formatPolicy(p))` has the same canonical text (a fixed point).
 *
 * @param policy - a policy from {@link parsePolicy} (or a hand-built AST)
 * @returns the canonical text
 * @throws {InvalidArgumentError} if `policy` is not a valid policy object
 * @example
 * ```ts
 * import { formatPolicy, parsePolicy } from 'bpds/policy';
 * formatPolicy(parsePolicy('(role/nurse  OR role/doctor) && dept:er || age > 17'));
 * // 'age >= 18 or (dept:er and (role/doctor or role/nurse))'
 * ```
 */
export function formatPolicy(policy: Policy): string {
  return canonicalText(canonical(checkPolicy(policy)));
}

/**
 * A 32-byte digest of the canonical form of a policy:
 * `taggedHash('bpds/v1/policy', utf8(formatPolicy(policy)))`. Equivalent
 * spellings give the same digest.
 *
 * @param policy - a policy
 * @returns 32 bytes
 * @throws {InvalidArgumentError} if `policy` is not a valid policy object
 * @example
 * ```ts
 * import { parsePolicy, policyDigest } from 'bpds/policy';
 * const d = policyDigest(parsePolicy('a and b'));
 * console.log(d.length); // 32
 * ```
 */
export function policyDigest(policy: Policy): Uint8Array {
  return taggedHash(POLICY_DIGEST_TAG, utf8(formatPolicy(policy)));
}
