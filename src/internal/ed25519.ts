/**
 * Ed25519 (RFC 8032, §5.1) sign and verify with the fastest backend at hand:
 * Node's built-in OpenSSL (`process.getBuiltinModule('node:crypto')`, synchronous,
 * Node >= 20.16) where available, else `@noble/curves`. Ed25519 signatures are
 * deterministic, so both backends produce identical signatures. Internal.
 *
 * **The bpds verification rule** (one rule for every backend: Node's OpenSSL, WebCrypto in
 * `chain/verify.ts`, noble; motivated by K. Chalkias, F. Garillot, V. Nikolaenko, "Taming the
 * many EdDSAs", SSR 2020). A signature (R ‖ S) on M under A is valid exactly when:
 * 1. the encodings are strict RFC 8032 §5.1.3: A and R encode y < p, with no sign bit set on an
 *    x = 0 point, and S < L (§5.1.7);
 * 2. A has prime order L: not the identity, not one of the small-order points, no torsion
 *    component ([L]A = identity). Checked once per key and cached (`isPrimeOrderKey`);
 *    registrations and key decoders refuse other keys with the same check;
 * 3. R has no torsion component, and [S]B = R + [k]A with k = SHA-512(R ‖ A ‖ M) mod L.
 * With A and R in the prime-order subgroup the cofactorless equation (OpenSSL, WebCrypto) and
 * the cofactored one (noble) are equivalent. OpenSSL and WebCrypto check the cofactorless
 * equation, which with a prime-order A already rejects any R with a torsion component; the noble
 * path checks R's order explicitly before its cofactored equation.
 */

import type * as NodeCrypto from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { type NC, nodeCrypto } from './node-crypto.js';

let checked: NC | null | undefined;

function node(): NC | null {
  if (checked === undefined) {
    const m = nodeCrypto();
    try {
      checked = m !== null && typeof m.verify === 'function' && selfTest(m) ? m : null;
    } catch {
      checked = null;
    }
  }
  return checked;
}

const SPKI = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const PKCS8 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

function der(prefix: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + key.length);
  out.set(prefix);
  out.set(key, prefix.length);
  return out;
}

function selfTest(m: NC): boolean {
  // RFC 8032 §7.1, TEST 1 (empty message).
  const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const sig = hex(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
  const priv = m.createPrivateKey({ key: Buffer.from(der(PKCS8, seed)), format: 'der', type: 'pkcs8' });
  const s = m.sign(null, new Uint8Array(0), priv);
  const pub = m.createPublicKey(priv);
  return equal(new Uint8Array(s), sig) && m.verify(null, new Uint8Array(0), pub, sig);
}

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}
function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** S < L (little-endian 32 bytes at offset 32 of the signature). */
function scalarCanonical(sig: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const s = sig[32 + i] as number;
    const l = L[i] as number;
    if (s < l) return true;
    if (s > l) return false;
  }
  return false;
}

/**
 * RFC 8032 §5.1.3 decoding rules that not every backend enforces: the encoded y (sign bit
 * cleared) is < p = 2^255 - 19, and the sign bit is not set when x = 0 (y = 1 or y = p - 1).
 */
function pointCanonical(b: Uint8Array, off: number): boolean {
  const top = b[off + 31] as number;
  const y31 = top & 0x7f;
  let mid = true; // bytes 1..30 all 0xff
  let zero = true; // bytes 1..30 all 0x00
  for (let i = 1; i <= 30; i++) {
    const v = b[off + i] as number;
    if (v !== 0xff) mid = false;
    if (v !== 0) zero = false;
  }
  const b0 = b[off] as number;
  if (y31 === 0x7f && mid && b0 >= 0xed) return false; // y >= p
  if (top & 0x80) {
    if (y31 === 0 && zero && b0 === 1) return false; // y = 1, x = 0
    if (y31 === 0x7f && mid && b0 === 0xec) return false; // y = p - 1, x = 0
  }
  return true;
}

const pubKeys = new Map<string, NodeCrypto.KeyObject | null>();

function nodePublicKey(m: NC, pk: Uint8Array): NodeCrypto.KeyObject | null {
  const id = String.fromCharCode(...pk);
  let k = pubKeys.get(id);
  if (k === undefined) {
    try {
      k = m.createPublicKey({ key: Buffer.from(der(SPKI, pk)), format: 'der', type: 'spki' });
    } catch {
      k = null;
    }
    if (pubKeys.size >= 4096) pubKeys.clear();
    pubKeys.set(id, k);
  }
  return k;
}

/** True when Node's built-in Ed25519 is used. */
export function nativeEd25519(): boolean {
  return node() !== null;
}

/** The strict RFC 8032 encoding checks: lengths, S < L, canonical R and A. */
export function strictEncoding(sig: Uint8Array, pk: Uint8Array): boolean {
  return (
    sig.length === 64 && pk.length === 32 && scalarCanonical(sig) && pointCanonical(sig, 0) && pointCanonical(pk, 0)
  );
}

/** A strict encoding of a point in the prime-order subgroup (the identity included); never throws. */
function torsionFree(b: Uint8Array): boolean {
  try {
    return ed25519.Point.fromBytes(b, false).isTorsionFree();
  } catch {
    return false;
  }
}

const keyChecks = new Map<string, boolean>();

/**
 * Rule 2: `pk` is a canonical encoding of a point of prime order L (not the identity, not small
 * order, no torsion component). Cached per key: a key is checked once (a scalar multiplication
 * by L), then looked up. Never throws.
 */
export function isPrimeOrderKey(pk: Uint8Array): boolean {
  if (!(pk instanceof Uint8Array) || pk.length !== 32 || !pointCanonical(pk, 0)) return false;
  const id = String.fromCharCode(...pk);
  let ok = keyChecks.get(id);
  if (ok === undefined) {
    // The identity (y = 1, x = 0) is torsion-free but of order 1.
    ok = !(pk[0] === 1 && pk.subarray(1).every((x) => x === 0)) && torsionFree(pk);
    if (keyChecks.size >= 4096) keyChecks.clear();
    keyChecks.set(id, ok);
  }
  return ok;
}

/** Rules 1 and 2: what every backend checks before its verification equation. */
export function ruleAdmits(sig: Uint8Array, pk: Uint8Array): boolean {
  return strictEncoding(sig, pk) && isPrimeOrderKey(pk);
}

/** Ed25519 backends of this module (tests force one; WebCrypto lives in `chain/verify.ts`). */
export type Ed25519Backend = 'node' | 'noble';

/**
 * Ed25519 verification under the bpds rule (module comment); never throws on bad input.
 * `backend` forces one (tests); by default Node's OpenSSL where available, else noble.
 *
 * @throws Error only when `backend: 'node'` is forced where Node's Ed25519 is unavailable
 */
export function ed25519Verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, backend?: Ed25519Backend): boolean {
  if (!ruleAdmits(sig, pk)) return false;
  const m = backend === 'noble' ? null : node();
  if (m === null && backend === 'node') throw new Error("Node's Ed25519 is not available");
  if (m !== null) {
    // OpenSSL: cofactorless; with a prime-order A, an R with a torsion component cannot satisfy it.
    const k = nodePublicKey(m, pk);
    if (k === null) return false;
    try {
      return m.verify(null, msg, k, sig);
    } catch {
      return false;
    }
  }
  // noble: cofactored equation, so R's torsion is checked first (rule 3).
  if (!torsionFree(sig.subarray(0, 32))) return false;
  try {
    return ed25519.verify(sig, msg, pk, { zip215: false });
  } catch {
    return false;
  }
}

interface PrivEntry {
  readonly seed: Uint8Array;
  readonly key: NodeCrypto.KeyObject;
  pub?: Uint8Array;
}
// Keyed by the caller's seed array, so an entry lives no longer than the caller's key.
const privKeys = new WeakMap<Uint8Array, PrivEntry>();

function privEntry(m: NC, seed: Uint8Array): PrivEntry {
  let e = privKeys.get(seed);
  if (e === undefined || !equal(e.seed, seed)) {
    e = {
      seed: seed.slice(),
      key: m.createPrivateKey({ key: Buffer.from(der(PKCS8, seed)), format: 'der', type: 'pkcs8' }),
    };
    privKeys.set(seed, e);
  }
  return e;
}

/** Ed25519 signature of `msg` with a 32-byte seed. */
export function ed25519Sign(msg: Uint8Array, seed: Uint8Array): Uint8Array {
  const m = node();
  if (m !== null) return new Uint8Array(m.sign(null, msg, privEntry(m, seed).key));
  return ed25519.sign(msg, seed);
}

/** Ed25519 public key of a 32-byte seed. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const m = node();
  if (m !== null) {
    const e = privEntry(m, seed);
    if (e.pub === undefined) {
      const spki = m.createPublicKey(e.key).export({ format: 'der', type: 'spki' });
      e.pub = new Uint8Array(spki.subarray(spki.length - 32));
    }
    return e.pub.slice();
  }
  return ed25519.getPublicKey(seed);
}
