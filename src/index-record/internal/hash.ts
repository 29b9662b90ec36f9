/**
 * BIP-340-style tagged SHA-256 (same function as `src/internal/tagged-hash.ts`), with the
 * state after the 64-byte tag prefix computed once per tag and cloned per call: one
 * compression fewer per digest on the hot paths (record digests, ledger ids). Internal.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../../internal/bytes.js';

type Sha256 = ReturnType<typeof sha256.create>;
const states = new Map<string, Sha256>();

/** `SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ parts...)`. */
export function fastTaggedHash(tag: string, ...parts: readonly Uint8Array[]): Uint8Array {
  let s = states.get(tag);
  if (s === undefined) {
    const t = sha256(utf8(tag));
    s = sha256.create().update(concatBytes(t, t));
    states.set(tag, s);
  }
  const h = s.clone();
  for (const p of parts) h.update(p);
  return h.digest();
}
