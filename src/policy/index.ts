/**
 * bpds/policy: the boolean-formula language shared by CP-ABE (who may
 * decrypt) and content extraction signatures (which fields may be disclosed).
 *
 * Parse, canonicalize, digest and evaluate policies; compile numeric
 * comparisons to bit attributes (Bethencourt–Sahai–Waters 2007, §4.3); build
 * LSSS matrices (Lewko–Waters 2011, Appendix G, with Vandermonde threshold
 * gates) and reconstruction coefficients. Never loads WebAssembly: the group
 * order is passed in as a bigint. Grammar and examples: docs/policy.md.
 *
 * @module policy
 */
export type { AndNode, AttrNode, CmpNode, CmpOp, NotNode, OrNode, Policy, ThresholdNode } from './ast.js';
export { LIMITS as POLICY_LIMITS } from './ast.js';
export { minimalSatisfyingSet, type SatisfiesOptions, satisfies } from './evaluate.js';
export { formatPolicy, POLICY_DIGEST_TAG, policyDigest } from './format.js';
export { expandKeyAttributes, type KeyAttributeOptions } from './keys.js';
export { type Lsss, reconstructionCoefficients, toLsss } from './lsss.js';
export { policyLeaves, toMonotone } from './monotone.js';
export { type ParseOptions, parsePolicy } from './parse.js';
