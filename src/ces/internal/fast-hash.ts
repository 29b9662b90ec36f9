/**
 * A faster tagged SHA-256 for the per-field hot path: the same function as
 * `taggedHash` (SHA-256(SHA-256(tag) || SHA-256(tag) || m)), but the state after
 * the 64-byte tag prefix is computed once and cloned per call. Internal.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../../internal/bytes.js';

/** A tagged hash function with the prefix state precomputed. */
export function taggedHasher(tag: string): (...parts: readonly Uint8Array[]) => Uint8Array {
  const t = sha256(utf8(tag));
  const base = sha256.create().update(t).update(t);
  return (...parts) => {
    const h = base.clone();
    for (const p of parts) h.update(p);
    return h.digest();
  };
}

/** 4-byte big-endian length, without a DataView. */
export function len4(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
