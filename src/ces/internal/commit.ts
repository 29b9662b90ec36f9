/**
 * Salted commitments and rule tags. Internal.
 *
 * CommitVector (Steinfeld–Bull–Zheng §4.1): C_i = H(r_i, m_i) with an independent
 * 128-bit random r_i per submessage; here H is SHA-256 tagged `bpds/v1/ces/commit`
 * and m_i the canonical bytes of `[path, value]`, so a value is bound to its path.
 */

import type { RuleSet } from '../rules.js';
import type { ClaimsPath } from '../types.js';
import { len4, taggedHasher } from './fast-hash.js';
import { relevant } from './path.js';

/** Salt length (128 bits). */
export const SALT_BYTES = 16;

/** C = H_commit(salt || lp(bytes)). */
const H_COMMIT = taggedHasher('bpds/v1/ces/commit');
export function commit(salt: Uint8Array, bytes: Uint8Array): Uint8Array {
  return H_COMMIT(salt, len4(bytes.length), bytes);
}

/** Bytes of the rule-tag mask of a rule set. */
export function maskLength(rules: RuleSet): number {
  return Math.ceil(rules.fullPatterns.length / 8);
}

/** The tag mask of one submessage, or undefined when it falls under no fullness pattern. */
export function tagOf(rules: RuleSet, path: ClaimsPath, container: boolean): Uint8Array | undefined {
  const ps = rules.fullPatterns;
  let m: Uint8Array | undefined;
  for (let j = 0; j < ps.length; j++) {
    if (relevant(ps[j] as never, path, container)) {
      m ??= new Uint8Array(Math.ceil(ps.length / 8));
      m[j >> 3] = (m[j >> 3] as number) | (1 << (j & 7));
    }
  }
  return m;
}

/** Whether bit j is set in a mask. */
export const hasBit = (m: Uint8Array, j: number): boolean => (((m[j >> 3] as number) >> (j & 7)) & 1) === 1;
