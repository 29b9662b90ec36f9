/**
 * The policy AST: small immutable (frozen) objects. One grammar serves CP-ABE
 * access policies (who may decrypt) and content-extraction rules (which JSON
 * Pointer subsets may be disclosed).
 */

/** A plain attribute leaf, e.g. `dept:cardiology`, `"Dr. Smith"`, `/resourceType`. */
export interface AttrNode {
  readonly kind: 'attr';
  /** The attribute name exactly as compared (case-sensitive, no normalization). */
  readonly name: string;
}

/** Conjunction of two or more sub-policies. */
export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly Policy[];
}

/** Disjunction of two or more sub-policies. */
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly Policy[];
}

/** A `k of (c1, ..., cn)` threshold gate, 1 <= k <= n. */
export interface ThresholdNode {
  readonly kind: 'threshold';
  readonly k: number;
  readonly children: readonly Policy[];
}

/** Negation. Allowed by the language, rejected where a monotone policy is required (CP-ABE). */
export interface NotNode {
  readonly kind: 'not';
  readonly child: Policy;
}

/** Comparison operators of numeric attributes. */
export type CmpOp = '<' | '<=' | '>' | '>=' | '=';

/** A numeric comparison `name op value` over an unsigned integer attribute of `bits` bits. */
export interface CmpNode {
  readonly kind: 'cmp';
  readonly name: string;
  readonly op: CmpOp;
  /** The constant, 0 <= value < 2^bits. */
  readonly value: bigint;
  /** Declared bit width, 1..64 (default 32). */
  readonly bits: number;
}

/**
 * A policy: an immutable AST, from {@link parsePolicy} or built by hand (hand-built
 * objects are validated by every function that takes one).
 *
 * @example
 * ```ts
 * import { type Policy, formatPolicy } from 'bpds/policy';
 * const p: Policy = { kind: 'and', children: [{ kind: 'attr', name: 'role/doctor' }, { kind: 'cmp', name: 'clearance', op: '>=', value: 3n, bits: 4 }] };
 * formatPolicy(p); // 'clearance#u4 >= 3 and role/doctor'
 * ```
 */
export type Policy = AttrNode | AndNode | OrNode | ThresholdNode | NotNode | CmpNode;

/**
 * Default and hard limits of the policy language (see docs/policy.md), exported
 * as `POLICY_LIMITS`.
 *
 * @example
 * ```ts
 * import { POLICY_LIMITS, parsePolicy } from 'bpds/policy';
 * parsePolicy('a or b', { maxLeaves: POLICY_LIMITS.hardMaxLeaves });
 * ```
 */
export const LIMITS = {
  /** Default maximum policy text length in UTF-16 code units (64 KiB). */
  maxLength: 65_536,
  /** Default maximum nesting depth (parentheses, `not`, thresholds). */
  maxDepth: 64,
  /** Default maximum number of leaves, each comparison counting as the bit leaves it compiles to. */
  maxLeaves: 1024,
  /** Default width of numeric attributes. */
  bits: 32,
  /** Largest value any caller may raise `maxLength` to. */
  hardMaxLength: 1 << 24,
  /** Largest value any caller may raise `maxDepth` to. */
  hardMaxDepth: 512,
  /** Largest value any caller may raise `maxLeaves` to (bounds the LSSS matrix size). */
  hardMaxLeaves: 4096,
  /** Maximum bit width of a numeric attribute. */
  maxBits: 64,
  /**
   * Most non-zero entries of the LSSS matrix of one policy (`toLsss`). A `k of n` gate gives
   * each of its n children k - 1 Vandermonde entries, so thresholds dominate: `255 of 256`
   * (65,280 entries) fits, `1023 of 1024` does not. Bounds the field work (and memory) a
   * ciphertext's policy can demand of a decryptor before any check fails.
   */
  maxLsssEntries: 65_536,
  /**
   * Maximum attribute name length in UTF-16 code units. 256 units are at most 768 UTF-8
   * bytes, so every name, and every numeric bit label derived from it (`name#u64[63]=1`),
   * fits the 1024-byte label limit of the CP-ABE encodings.
   */
  maxNameLength: 256,
} as const;

/** Nodes created by this module (frozen, already validated). */
const trusted = new WeakSet<object>();

/** True when `p` was built by this module (frozen and known to be valid). */
export function isTrusted(p: unknown): p is Policy {
  return typeof p === 'object' && p !== null && trusted.has(p);
}

function seal<T extends Policy>(n: T): T {
  Object.freeze(n);
  trusted.add(n);
  return n;
}

/** @internal */
export function mkAttr(name: string): AttrNode {
  return seal({ kind: 'attr', name });
}

/** @internal */
export function mkAnd(children: readonly Policy[]): AndNode {
  return seal({ kind: 'and', children: Object.freeze([...children]) });
}

/** @internal */
export function mkOr(children: readonly Policy[]): OrNode {
  return seal({ kind: 'or', children: Object.freeze([...children]) });
}

/** @internal */
export function mkThreshold(k: number, children: readonly Policy[]): ThresholdNode {
  return seal({ kind: 'threshold', k, children: Object.freeze([...children]) });
}

/** @internal */
export function mkNot(child: Policy): NotNode {
  return seal({ kind: 'not', child });
}

/** @internal */
export function mkCmp(name: string, op: CmpOp, value: bigint, bits: number): CmpNode {
  return seal({ kind: 'cmp', name, op, value, bits });
}
