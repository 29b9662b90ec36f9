/**
 * Domain-separation tags of every digest in `bpds/index-record` and `bpds/chain`.
 *
 * Each purpose has its own tag, used with BIP-340-style tagged SHA-256
 * (BIP-340, "Schnorr Signatures for secp256k1", §Design, tagged hashes):
 * `H_tag(m) = SHA-256(SHA-256(tag) || SHA-256(tag) || m)`, so no digest of one
 * kind can be replayed as a digest of another.
 */
import { assertBytes } from '../internal/assert.js';
import { taggedHash } from '../internal/tagged-hash.js';

/**
 * The tags, one per purpose. `policy` is the tag `bpds/policy` uses for `policyDigest`.
 *
 * @example
 * ```ts
 * import { TAGS } from 'bpds/index-record';
 * console.log(TAGS.indexRecord); // 'bpds/v1/index-record'
 * ```
 */
export const TAGS = {
  indexRecord: 'bpds/v1/index-record',
  ciphertext: 'bpds/v1/ciphertext',
  policy: 'bpds/v1/policy',
  cesHeader: 'bpds/v1/ces-header',
  keyFingerprint: 'bpds/v1/key-fingerprint',
  merkleLeaf: 'bpds/v1/merkle/leaf',
  merkleNode: 'bpds/v1/merkle/node',
  merkleEmpty: 'bpds/v1/merkle/empty',
  ledgerTx: 'bpds/v1/ledger/tx',
  ledgerBlock: 'bpds/v1/ledger/block',
  ledgerEntry: 'bpds/v1/ledger/entry',
  ledgerGenesis: 'bpds/v1/ledger/genesis',
  ledgerPatientAttestation: 'bpds/v1/ledger/patient-attestation',
} as const;

/**
 * Tagged SHA-256 digest of a stored ciphertext (the `ciphertext.digest` of an index record).
 *
 * @param ciphertext the exact bytes kept in storage
 * @returns 32 bytes
 * @throws InvalidArgumentError if `ciphertext` is not a Uint8Array
 * @example
 * ```ts
 * import { ciphertextDigest } from 'bpds/index-record';
 * const d = ciphertextDigest(new Uint8Array([1, 2, 3]));
 * console.log(d.length); // 32
 * ```
 */
export function ciphertextDigest(ciphertext: Uint8Array): Uint8Array {
  assertBytes(ciphertext, 'ciphertext');
  return taggedHash(TAGS.ciphertext, ciphertext);
}

/**
 * Tagged SHA-256 digest of an encoded content-extraction-signature header
 * (the `cesHeaderDigest` of an index record). Never hash per-field digests or salts into a record.
 *
 * @param header the encoded CES header bytes
 * @returns 32 bytes
 * @throws InvalidArgumentError if `header` is not a Uint8Array
 * @example
 * ```ts
 * import { cesHeaderDigest } from 'bpds/index-record';
 * const d = cesHeaderDigest(new Uint8Array([1]));
 * console.log(d.length); // 32
 * ```
 */
export function cesHeaderDigest(header: Uint8Array): Uint8Array {
  assertBytes(header, 'header');
  return taggedHash(TAGS.cesHeader, header);
}
