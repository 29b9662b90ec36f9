/**
 * Ed25519 signing keys for hospitals and ledger actors: RFC 8032 (S. Josefsson,
 * I. Liusvaara, 2017), §5.1: Node's OpenSSL where available, else `@noble/curves`
 * (see `internal/ed25519.ts`). Verification is strict (no ZIP-215 leniency):
 * non-canonical encodings are rejected.
 */
import { assertBytes } from '../internal/assert.js';
import { lp, utf8 } from '../internal/bytes.js';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../internal/ed25519.js';
import { randomBytes } from '../internal/random.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { TAGS } from './tags.js';

/** An Ed25519 key pair: 32-byte secret key (seed) and 32-byte public key. */
export interface SigningKeyPair {
  /** 32-byte secret seed. Keep it secret. */
  readonly secretKey: Uint8Array;
  /** 32-byte public key. */
  readonly publicKey: Uint8Array;
}

/**
 * The signature algorithm named in records and transactions.
 *
 * @example
 * ```ts
 * import { SIGNATURE_ALG } from 'bpds/index-record';
 * console.log(SIGNATURE_ALG); // 'Ed25519'
 * ```
 */
export const SIGNATURE_ALG = 'Ed25519';

/**
 * Generate a fresh Ed25519 key pair from the platform CSPRNG.
 *
 * @throws never (the platform CSPRNG is required)
 * @example
 * ```ts
 * import { generateSigningKey } from 'bpds/index-record';
 * const { secretKey, publicKey } = generateSigningKey();
 * ```
 */
export function generateSigningKey(): SigningKeyPair {
  const secretKey = randomBytes(32);
  return { secretKey, publicKey: ed25519PublicKey(secretKey) };
}

/**
 * The Ed25519 public key of a 32-byte secret key.
 *
 * @throws InvalidArgumentError unless `secretKey` is 32 bytes
 * @example
 * ```ts
 * import { generateSigningKey, getPublicKey } from 'bpds/index-record';
 * const { secretKey, publicKey } = generateSigningKey();
 * getPublicKey(secretKey); // equals publicKey
 * ```
 */
export function getPublicKey(secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, 'secretKey', 32);
  return ed25519PublicKey(secretKey);
}

/**
 * Fingerprint of an Ed25519 public key: tagged SHA-256 over the algorithm name and the key.
 *
 * @returns 32 bytes
 * @throws InvalidArgumentError unless `publicKey` is 32 bytes
 * @example
 * ```ts
 * import { generateSigningKey, keyFingerprint } from 'bpds/index-record';
 * const fp = keyFingerprint(generateSigningKey().publicKey); // 32 bytes
 * ```
 */
export function keyFingerprint(publicKey: Uint8Array): Uint8Array {
  assertBytes(publicKey, 'publicKey', 32);
  return taggedHash(TAGS.keyFingerprint, lp(utf8(SIGNATURE_ALG)), publicKey);
}

/** Internal: sign a 32-byte digest. */
export function signDigest(digest: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, 'secretKey', 32);
  return ed25519Sign(digest, secretKey);
}

/** Internal: strict verification; never throws. */
export function verifyDigest(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519Verify(signature, digest, publicKey);
}
