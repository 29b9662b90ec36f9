/**
 * Hashing into Fr, G1 and G2 with an explicit domain-separation tag per use.
 *
 * - Fr (both curves): SHA-512 of `lp(utf8(dst)) || msg` (lp: 4-byte big-endian length
 *   prefix, so two (dst, msg) pairs never give the same input), reduced mod r
 *   (bias < 2^-250).
 * - G1/G2 on BLS12-381: RFC 9380 hash_to_curve ("Hashing to Elliptic Curves",
 *   Faz-Hernandez, Scott, Sullivan, Wahby, Wood, 2023) with the suites
 *   `BLS12381G1_XMD:SHA-256_SSWU_RO_` and `BLS12381G2_XMD:SHA-256_SSWU_RO_`
 *   (expand_message_xmd with SHA-256, simplified SWU on an isogenous curve, two field
 *   elements, cofactor clearing), computed by mcl (its RFC 9380 map-to mode) with the
 *   domain-separation tag `utf8(dst) || "/" || suite ID`. The RFC's Appendix J vectors
 *   pass (test/rfc9380.bls12-381.test.ts, data in test/vectors/rfc9380/).
 * - G1/G2 on BN254: RFC 9380 has no suite for this curve; mcl's `hashAndMapTo` hashes
 *   `lp(utf8(dst)) || msg` with SHA-256 to a field element (G2: to an Fp2 element) and
 *   maps it with the Shallue–van de Woestijne encoding as generalized by Fouque and
 *   Tibouchi for BN curves ("Indifferentiable Hashing to Barreto–Naehrig Curves",
 *   LATINCRYPT 2012), clearing the G2 cofactor. Discrete logarithms are unknown (never
 *   g^H(x)); docs/pairing-curves.md says what this gives and what it does not (a single
 *   encoding is not indifferentiable from a random oracle; the sum of two would be).
 */
import { sha512 } from '@noble/hashes/sha2.js';
import type * as Mcl from 'mcl-wasm';
import { concatBytes, lp, utf8 } from '../internal/bytes.js';
import { be } from './backend.js';
import { counter } from './counters.js';
import { loadedCurve } from './curve.js';
import type { Fr, G1, G2 } from './types.js';

/** The RFC 9380 suite IDs used on BLS12-381. */
export const RFC9380_SUITE_G1 = 'BLS12381G1_XMD:SHA-256_SSWU_RO_';
export const RFC9380_SUITE_G2 = 'BLS12381G2_XMD:SHA-256_SSWU_RO_';

function input(dst: string, msg: Uint8Array): Uint8Array {
  if (dst.length === 0) throw new RangeError('hash: empty domain-separation tag');
  return concatBytes(lp(utf8(dst)), msg);
}

/** Hash to a scalar under domain-separation tag `dst`. */
export function hashToFr(dst: string, msg: Uint8Array): Fr {
  const x = new (be().mcl.Fr)();
  x.setLittleEndianMod(sha512(input(dst, msg)));
  return x as unknown as Fr;
}

/** The RFC 9380 DST bpds uses for tag `dst` and a suite: `dst || "/" || suite`. */
export function rfc9380Dst(dst: string, suite: string): Uint8Array {
  if (dst.length === 0) throw new RangeError('hash: empty domain-separation tag');
  const d = utf8(`${dst}/${suite}`);
  // RFC 9380 section 5.3.3 handles longer tags by hashing them; bpds's tags are short.
  if (d.length > 255) throw new RangeError('hash: domain-separation tag longer than 255 bytes');
  return d;
}

/**
 * RFC 9380 hash_to_curve into G1 or G2 of BLS12-381 with an explicit DST (raw bytes),
 * through mcl's `hashAndMapToWithDst`. Exposed for the RFC's test vectors.
 */
export function hashToCurveRfc9380(group: 'G1' | 'G2', msg: Uint8Array, dst: Uint8Array): G1 | G2 {
  const { mcl, raw } = be();
  if (loadedCurve().name !== 'bls12-381') throw new RangeError('RFC 9380 hashing is used on BLS12-381 only');
  const P = group === 'G1' ? new mcl.G1() : new mcl.G2();
  const words = (P as unknown as { a_: Uint32Array }).a_;
  // Heap buffers, not the 1 MiB Emscripten stack: messages may be large.
  const msgPos = raw._malloc(Math.max(1, msg.length));
  const dstPos = raw._malloc(Math.max(1, dst.length));
  const pPos = raw._malloc(words.length * 4);
  try {
    new Uint8Array(raw.HEAP8.buffer, msgPos, msg.length).set(msg);
    new Uint8Array(raw.HEAP8.buffer, dstPos, dst.length).set(dst);
    const f = group === 'G1' ? raw._mclBnG1_hashAndMapToWithDst : raw._mclBnG2_hashAndMapToWithDst;
    const rc = f(pPos, msgPos, msg.length, dstPos, dst.length);
    if (rc !== 0) throw new Error(`mcl hashAndMapToWithDst failed (${rc})`);
    words.set(new Uint32Array(raw.HEAP8.buffer, pPos, words.length));
  } finally {
    raw._free(pPos);
    raw._free(dstPos);
    raw._free(msgPos);
  }
  return P as unknown as G1 | G2;
}

/** Hash to G1 under domain-separation tag `dst` (RFC 9380 on BLS12-381). */
export function hashToG1(dst: string, msg: Uint8Array): G1 {
  if (counter.on) counter.c.hashG1++;
  if (loadedCurve().name === 'bls12-381') return hashToCurveRfc9380('G1', msg, rfc9380Dst(dst, RFC9380_SUITE_G1)) as G1;
  return be().mcl.hashAndMapToG1(input(dst, msg)) as Mcl.G1 as unknown as G1;
}

/** Hash to G2 under domain-separation tag `dst` (RFC 9380 on BLS12-381). */
export function hashToG2(dst: string, msg: Uint8Array): G2 {
  if (counter.on) counter.c.hashG2++;
  if (loadedCurve().name === 'bls12-381') return hashToCurveRfc9380('G2', msg, rfc9380Dst(dst, RFC9380_SUITE_G2)) as G2;
  return be().mcl.hashAndMapToG2(input(dst, msg)) as Mcl.G2 as unknown as G2;
}
