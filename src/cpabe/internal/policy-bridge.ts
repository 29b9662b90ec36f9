/**
 * The only place where the CP-ABE framework talks to `bpds/policy`: parsing and
 * canonical text, monotone LSSS over Fr, key-attribute expansion (numeric attributes
 * to bit attributes), satisfaction, minimal satisfying sets and reconstruction
 * coefficients. Internal.
 */
import { InvalidArgumentError, InvalidEncodingError, PolicySyntaxError } from '../../errors.js';
import { groupOrder } from '../../pairing/index.js';
import {
  expandKeyAttributes,
  formatPolicy,
  minimalSatisfyingSet,
  type Policy,
  parsePolicy,
  reconstructionCoefficients,
  satisfies,
  toLsss,
  toMonotone,
} from '../../policy/index.js';
import type { Lsss } from '../scheme.js';

/** A policy ready for the schemes: the parsed policy, its canonical text and its LSSS. */
export interface PreparedPolicy {
  readonly policy: Policy;
  readonly text: string;
  readonly lsss: Lsss;
}

/** Maximum canonical policy text in a ciphertext header, in UTF-8 bytes. */
export const MAX_POLICY_BYTES = 1 << 18;

/** Bounded memo tables: the same policies recur across records, and parsing plus LSSS costs milliseconds. */
const MEMO_MAX = 256;
const prepared = new Map<string, PreparedPolicy>();
const coefficients = new Map<string, bigint[]>();

function memo<T>(m: Map<string, T>, key: string, make: () => T): T {
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const v = make();
  if (m.size >= MEMO_MAX) {
    const oldest = m.keys().next();
    if (oldest.done !== true) m.delete(oldest.value);
  }
  m.set(key, v);
  return v;
}

/** Empty the memo tables (benchmarks that measure a policy the process has never seen). */
export function clearPolicyMemo(): void {
  prepared.clear();
  coefficients.clear();
}

function prepareText(text: string): PreparedPolicy {
  return memo(prepared, text, () => prepareUncached(text));
}

function prepareUncached(text: string): PreparedPolicy {
  const policy = parsePolicy(text);
  // toMonotone throws PolicySyntaxError for `not`: CP-ABE policies must be monotone.
  toMonotone(policy);
  const lsss = toLsss(policy, groupOrder());
  return Object.freeze({ policy, text: formatPolicy(policy), lsss });
}

/** Prepare an encryptor's policy (text or parsed). @throws PolicySyntaxError, InvalidArgumentError */
export function preparePolicy(input: unknown, name: string): PreparedPolicy {
  if (typeof input === 'string') return prepareText(input);
  if (typeof input === 'object' && input !== null && 'kind' in input) {
    // Canonicalize then re-parse, so the header text is exactly what decryptors parse.
    return prepareText(formatPolicy(input as Policy));
  }
  throw new InvalidArgumentError(`"${name}" expected a policy string or a parsed Policy`);
}

/** Parse the policy text of an untrusted header: it must be canonical. @throws InvalidEncodingError */
export function policyFromHeader(text: string, what: string): PreparedPolicy {
  let p: PreparedPolicy;
  try {
    p = prepareText(text);
  } catch (cause) {
    if (cause instanceof PolicySyntaxError) throw new InvalidEncodingError(`${what}: invalid policy text`, { cause });
    throw cause;
  }
  if (p.text !== text) throw new InvalidEncodingError(`${what}: policy text is not canonical`);
  return p;
}

/** The scheme-level labels of key attributes (numeric `name = v` expanded), deduplicated, in order. */
export function keyLabels(attributes: readonly string[]): string[] {
  return [...new Set(expandKeyAttributes(attributes))];
}

/** Whether the key attributes (as users write them) satisfy the policy. */
export function policySatisfied(p: PreparedPolicy | Policy, attributes: readonly string[]): boolean {
  return satisfies('lsss' in p ? p.policy : p, attributes);
}

/** Rows of a minimal satisfying set and their reconstruction coefficients, or null. */
export function selectRows(
  p: PreparedPolicy,
  attributes: readonly string[],
): { rows: number[]; coeffs: bigint[] } | null {
  const rows = minimalSatisfyingSet(p.policy, attributes);
  if (rows === null) return null;
  const coeffs = memo(
    coefficients,
    `${rows.join(',')}\u0000${p.text}`,
    () => Object.freeze(reconstructionCoefficients(p.lsss, rows, groupOrder())) as bigint[],
  );
  return { rows, coeffs };
}

/** Parse a policy string for `canDecrypt` (PolicySyntaxError propagates). */
export function parseForCheck(input: string | Policy): Policy {
  return typeof input === 'string' ? parsePolicy(input) : input;
}
