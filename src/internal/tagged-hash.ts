/**
 * BIP-340-style tagged SHA-256: H_tag(m) = SHA-256(SHA-256(tag) || SHA-256(tag) || m).
 * Every digest in bpds uses a distinct tag, so a digest of one kind can never be
 * replayed as another. Internal.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes.js';

const prefixes = new Map<string, Uint8Array>();

function prefix(tag: string): Uint8Array {
  let p = prefixes.get(tag);
  if (p === undefined) {
    const t = sha256(utf8(tag));
    p = concatBytes(t, t);
    prefixes.set(tag, p);
  }
  return p;
}

/** SHA-256 of the tag prefix followed by `parts`. */
export function taggedHash(tag: string, ...parts: readonly Uint8Array[]): Uint8Array {
  const h = sha256.create().update(prefix(tag));
  for (const p of parts) h.update(p);
  return h.digest();
}
