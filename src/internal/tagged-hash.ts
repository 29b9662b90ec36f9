/**
 * BIP-340-style tagged SHA-256: H_tag(m) = SHA-256(SHA-256(tag) || SHA-256(tag) || m).
 * Every digest in bpds uses a distinct tag, so a digest of one kind can never be
 * replayed as another. The state after the 64-byte tag prefix is computed once per
 * tag and copied per call (one compression fewer per digest on the hot paths). Uses Node's
 * native SHA-256 where available (checked against `@noble/hashes` once), else noble. Internal.
 */

import type * as NodeCrypto from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from './bytes.js';
import { nodeCrypto } from './node-crypto.js';

type Noble = ReturnType<typeof sha256.create>;
const nobleStates = new Map<string, Noble>();
const nativeStates = new Map<string, NodeCrypto.Hash>();
let native: ReturnType<typeof nodeCrypto> | undefined;

function nativeSha(): ReturnType<typeof nodeCrypto> {
  if (native === undefined) {
    native = nodeCrypto();
    if (native !== null) {
      try {
        const probe = utf8('bpds sha-256 self-test');
        const a = new Uint8Array(native.createHash('sha256').update(probe).digest());
        const b = sha256(probe);
        if (a.length !== 32 || a.some((x, i) => x !== b[i])) native = null;
      } catch {
        native = null;
      }
    }
  }
  return native;
}

function prefix(tag: string): Uint8Array {
  const t = sha256(utf8(tag));
  return concatBytes(t, t);
}

/** `SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ parts...)`. */
export function taggedHash(tag: string, ...parts: readonly Uint8Array[]): Uint8Array {
  const m = nativeSha();
  if (m !== null) {
    let s = nativeStates.get(tag);
    if (s === undefined) {
      s = m.createHash('sha256').update(prefix(tag));
      nativeStates.set(tag, s);
    }
    const h = s.copy();
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  }
  let s = nobleStates.get(tag);
  if (s === undefined) {
    s = sha256.create().update(prefix(tag));
    nobleStates.set(tag, s);
  }
  const h = s.clone();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** An incremental tagged SHA-256: `update` with the message in pieces, then `digest` once. */
export interface TaggedHasher {
  update(part: Uint8Array): void;
  digest(): Uint8Array;
}

/** Start an incremental {@link taggedHash} under `tag` (same result as hashing the concatenation). */
export function taggedHasher(tag: string): TaggedHasher {
  const m = nativeSha();
  if (m !== null) {
    const h = m.createHash('sha256').update(prefix(tag));
    return { update: (p) => void h.update(p), digest: () => new Uint8Array(h.digest()) };
  }
  const h = sha256.create().update(prefix(tag));
  return { update: (p) => void h.update(p), digest: () => h.digest() };
}
