// Digest definitions recomputed from their documentation, for tests (not a test file itself):
// tagged SHA-256 `H(tag, m) = SHA-256(SHA-256(tag) || SHA-256(tag) || m)` (docs/index-record.md §3),
// u32 big-endian length prefixes, and RFC 8785 JCS through the independent `canonicalize`
// package. Nothing here imports src/, so a change to src/internal cannot move both sides.
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function concat(...xs: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}

/** u32 big-endian length, then the bytes. */
export const lp = (b: Uint8Array): Uint8Array =>
  concat(Uint8Array.of(b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255), b);

/** Tagged SHA-256. */
export function tagged(tag: string, ...parts: readonly Uint8Array[]): Uint8Array {
  const t = sha256(utf8(tag));
  return sha256(concat(t, t, ...parts));
}

/** RFC 8785 canonical JSON text (the `canonicalize` package). */
export function jcs(value: unknown): string {
  const s = canonicalize(value);
  if (s === undefined) throw new Error('jcs: not serializable');
  return s;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
