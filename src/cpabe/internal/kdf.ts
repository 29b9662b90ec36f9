/**
 * Key derivation for the CP-ABE framework, every use under its own tag:
 *
 * - `publicKeyDigest`: binds derivations to one setup;
 * - `foStream`: the Fujisaki–Okamoto DRBG, SHA-512 in counter mode keyed by
 *   (sigma, public key, ciphertext prefix), giving the encapsulation's scalars via
 *   `frFromWide` (64 bytes mod r, bias < 2^-250);
 * - `foMask`: HKDF-SHA-256 of the GT key that masks sigma;
 * - `demKey`: HKDF-SHA-256 of sigma to the AES-256-GCM key and nonce;
 * - `kemKey`: HKDF-SHA-256 of the GT key for the CPA KEM;
 * - `streamKey`: HKDF-SHA-256 of sigma to the STREAM key and nonce prefix (its own tag, so
 *   never equal to a whole-buffer `demKey`), `streamAd`: the per-segment associated data.
 *
 * GT elements enter only as HKDF input keying material (their canonical 384 bytes). Internal.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, lp, u32be, utf8 } from '../../internal/bytes.js';
import { taggedHash } from '../../internal/tagged-hash.js';
import { type Fr, frFromWide, type GT, gtToBytes } from '../../pairing/index.js';
import type { ScalarSource } from '../scheme.js';

const TAG = {
  pk: 'bpds/v1/cpabe/public-key',
  header: 'bpds/v1/cpabe/header',
  seed: 'bpds/v1/cpabe/fo/seed',
  drbg: 'bpds/v1/cpabe/fo/drbg',
  mask: 'bpds/v1/cpabe/fo/mask',
  dem: 'bpds/v1/cpabe/dem/aes-256-gcm',
  kem: 'bpds/v1/cpabe/kem',
  stream: 'bpds/v1/cpabe/stream/aes-256-gcm',
  streamAd: 'bpds/v1/cpabe/stream/ad',
} as const;

const info = (tag: string, digest: Uint8Array) => concatBytes(lp(utf8(tag)), digest);

/** Digest of an encoded public key. */
export const publicKeyDigest = (pkBytes: Uint8Array): Uint8Array => taggedHash(TAG.pk, pkBytes);

/** Digest of (part of) a ciphertext header. */
export const headerDigest = (bytes: Uint8Array): Uint8Array => taggedHash(TAG.header, bytes);

/** The deterministic scalar stream of the FO transform for seed sigma. */
export function foStream(sigma: Uint8Array, pkDigest: Uint8Array, prefix: Uint8Array): ScalarSource {
  const seed = taggedHash(TAG.seed, pkDigest, lp(prefix), lp(sigma));
  const dst = lp(utf8(TAG.drbg));
  let counter = 0;
  return (): Fr => {
    if (counter === 0xffffffff) throw new RangeError('foStream: exhausted');
    return frFromWide(sha512(concatBytes(dst, seed, u32be(counter++))));
  };
}

/** 32-byte mask of sigma from the GT key Z and the header digest (prefix and ABE components). */
export function foMask(Z: GT, pkDigest: Uint8Array, digest: Uint8Array): Uint8Array {
  return hkdf(sha256, gtToBytes(Z), pkDigest, info(TAG.mask, digest), 32);
}

/** AES-256-GCM key (32 bytes) and nonce (12 bytes) from sigma and the full header digest. */
export function demKey(
  sigma: Uint8Array,
  pkDigest: Uint8Array,
  digest: Uint8Array,
): { key: Uint8Array; iv: Uint8Array } {
  const okm = hkdf(sha256, sigma, pkDigest, info(TAG.dem, digest), 44);
  return { key: okm.slice(0, 32), iv: okm.slice(32) };
}

/**
 * STREAM key (32 bytes) and 7-byte nonce prefix from sigma and the full streaming header digest.
 * Domain-separated from {@link demKey} by its tag (and by the header's kind byte).
 */
export function streamKey(
  sigma: Uint8Array,
  pkDigest: Uint8Array,
  digest: Uint8Array,
): { key: Uint8Array; noncePrefix: Uint8Array } {
  const okm = hkdf(sha256, sigma, pkDigest, info(TAG.stream, digest), 39);
  return { key: okm.slice(0, 32), noncePrefix: okm.slice(32) };
}

/** The associated data of every STREAM segment: the header and the caller's associated data, hashed once. */
export function streamAd(header: Uint8Array, associatedData: Uint8Array): Uint8Array {
  return taggedHash(TAG.streamAd, lp(header), lp(associatedData));
}

/** The CPA KEM's 32-byte key from the GT key and the encapsulation digest. */
export function kemKey(Z: GT, pkDigest: Uint8Array, digest: Uint8Array): Uint8Array {
  return hkdf(sha256, gtToBytes(Z), pkDigest, info(TAG.kem, digest), 32);
}

/** XOR of two 32-byte arrays. */
export function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}
