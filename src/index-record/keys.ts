/**
 * Ed25519 identity keys of hospitals, patients, requesters and authorities (they sign
 * index records and ledger transactions): RFC 8032 (S. Josefsson, I. Liusvaara, 2017),
 * §5.1: Node's OpenSSL where available, else `@noble/curves` (see `internal/ed25519.ts`).
 * Verification is strict (no ZIP-215 leniency): non-canonical encodings are rejected.
 *
 * One form of an identity public key everywhere: its base64url text (43 characters, no
 * padding), the form ledgers, genesis configurations, transactions and the CLI carry.
 * The secret key is 32 bytes (a `Uint8Array`) and never leaves the process.
 */
import { InvalidArgumentError } from '../errors.js';
import { assertBytes, assertString } from '../internal/assert.js';
import { fromBase64url, lp, toBase64url, utf8 } from '../internal/bytes.js';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../internal/ed25519.js';
import { randomBytes } from '../internal/random.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { TAGS } from './tags.js';

/** An Ed25519 identity key pair: the 32-byte secret key (seed) and the public key as base64url text. */
export interface SigningKeyPair {
  /** 32-byte secret seed. Keep it secret. */
  readonly secretKey: Uint8Array;
  /** The public key: base64url text of its 32 bytes (43 characters). */
  readonly publicKey: string;
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
 * Generate a fresh Ed25519 identity key pair from the platform CSPRNG: the one generator of
 * keys that sign index records and ledger transactions (bpds/protocol's roles use it too).
 * Content extraction signature keys are `SigningKey.generate()` of bpds/ces.
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
  return { secretKey, publicKey: toBase64url(ed25519PublicKey(secretKey)) };
}

/**
 * The Ed25519 public key (base64url text) of a 32-byte secret key.
 *
 * @throws InvalidArgumentError unless `secretKey` is 32 bytes
 * @example
 * ```ts
 * import { generateSigningKey, getPublicKey } from 'bpds/index-record';
 * const { secretKey, publicKey } = generateSigningKey();
 * getPublicKey(secretKey); // equals publicKey
 * ```
 */
export function getPublicKey(secretKey: Uint8Array): string {
  assertBytes(secretKey, 'secretKey', 32);
  return toBase64url(ed25519PublicKey(secretKey));
}

/**
 * Fingerprint of an Ed25519 public key: tagged SHA-256 over the algorithm name and the key.
 *
 * @returns 32 bytes
 * @throws InvalidArgumentError unless `publicKey` is the base64url text of 32 bytes
 * @example
 * ```ts
 * import { generateSigningKey, keyFingerprint } from 'bpds/index-record';
 * const fp = keyFingerprint(generateSigningKey().publicKey); // 32 bytes
 * ```
 */
export function keyFingerprint(publicKey: string): Uint8Array {
  return taggedHash(TAGS.keyFingerprint, lp(utf8(SIGNATURE_ALG)), publicKeyBytes(publicKey));
}

const KEY_TEXT = /^[A-Za-z0-9_-]{43}$/;

/**
 * Internal: the 32 bytes of an identity public key given as base64url text (canonical:
 * 43 characters, zero padding bits).
 *
 * @throws InvalidArgumentError for anything else
 */
export function publicKeyBytes(publicKey: unknown, name = 'publicKey'): Uint8Array {
  assertString(publicKey, name);
  let bytes: Uint8Array | undefined;
  try {
    bytes = KEY_TEXT.test(publicKey) ? fromBase64url(publicKey, name) : undefined;
  } catch {
    // non-canonical trailing bits: refused below like any other malformed text
  }
  if (bytes === undefined || bytes.length !== 32 || toBase64url(bytes) !== publicKey) {
    throw new InvalidArgumentError(
      `"${name}" expected an Ed25519 public key as base64url text (43 characters; 32 bytes)`,
    );
  }
  return bytes;
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
