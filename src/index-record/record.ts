/**
 * BPDS index records: what goes on the ledger for one encrypted EMR.
 *
 * BPDS (J. Liu, X. Li, L. Ye, H. Zhang, X. Du, M. Guizani, "BPDS: A Blockchain Based
 * Privacy-Preserving Data Sharing for Electronic Medical Records", IEEE GLOBECOM 2018,
 * arXiv:1811.03223, §III-B "Data storage"):
 * the encrypted EMR is kept off-chain and only its index, signed by the hospital,
 * is appended to the consortium ledger. The normative format is in
 * `docs/index-record.md`: JSON, canonicalized with RFC 8785 (JCS), digested with
 * tagged SHA-256 (tag `bpds/v1/index-record`) over the record without its
 * `signature` member, and signed with Ed25519 (RFC 8032) over that digest.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { assertBytes, assertObject, assertString, describe } from '../internal/assert.js';
import { equalBytes, fromBase64url, fromUtf8, toBase64url } from '../internal/bytes.js';
import { randomBytes } from '../internal/random.js';
import { parseJsonStrict } from '../internal/strict-json.js';
import { formatTimestamp } from './internal/fields.js';
import { build, canonicalText, check, digestOf, RECORD_LIMITS, RECORD_VERSION, read } from './internal/record-codec.js';

export { RECORD_LIMITS, RECORD_VERSION };

const WHAT = 'index record';

import { getPublicKey, keyFingerprint, publicKeyBytes, signDigest, verifyDigest } from './keys.js';
import { ciphertextDigest } from './tags.js';
import type { IndexRecord, UnsignedIndexRecord } from './types.js';

export type { IndexRecord, RecordCiphertext, RecordHospital, RecordSignature, UnsignedIndexRecord } from './types.js';

/** Input of {@link createRecord}. Give either `ciphertext` or both `ciphertextDigest` and `ciphertextSize`. */
export interface RecordInput {
  patient: string;
  hospitalId: string;
  /** The hospital's Ed25519 public key (base64url text, as `generateSigningKey` gives it); the record stores its fingerprint. */
  hospitalPublicKey: string;
  /** The stored ciphertext (its digest and size are computed). */
  ciphertext?: Uint8Array;
  /** {@link ciphertextDigest} of the stored ciphertext, when the bytes are not at hand. */
  ciphertextDigest?: Uint8Array;
  ciphertextSize?: number;
  scheme: string;
  locator: string;
  /** 32-byte digest of the canonical policy (`policyDigest` from `bpds/policy`). */
  policyDigest: Uint8Array;
  /** 32-byte {@link cesHeaderDigest}. */
  cesHeaderDigest: Uint8Array;
  keywords?: readonly string[];
  /** 32-byte {@link recordDigest} of the patient's previous record. */
  previous?: Uint8Array;
  /** Creation time; default now. */
  createdAt?: Date;
  /** 16-byte record id; default random. */
  recordId?: Uint8Array;
}

/**
 * Build and validate an unsigned index record.
 *
 * @throws InvalidArgumentError for arguments of the wrong type or size (named)
 * @throws InvalidEncodingError when a resulting field breaks the format (named)
 * @example
 * ```ts
 * import { cesHeaderDigest, createRecord, generateSigningKey, signRecord } from 'bpds/index-record';
 * const hospital = generateSigningKey();
 * const draft = createRecord({
 *   patient: 'p-7f3a', hospitalId: 'hospital-1', hospitalPublicKey: hospital.publicKey,
 *   ciphertext: new Uint8Array(100), scheme: 'fame', locator: 'blob:abc',
 *   policyDigest: new Uint8Array(32), cesHeaderDigest: cesHeaderDigest(new Uint8Array(8)),
 * });
 * const record = signRecord(draft, hospital.secretKey);
 * ```
 */
export function createRecord(input: RecordInput): UnsignedIndexRecord {
  assertObject(input, 'input');
  assertString(input.patient, 'patient');
  assertString(input.hospitalId, 'hospitalId');
  publicKeyBytes(input.hospitalPublicKey, 'hospitalPublicKey');
  let digest: Uint8Array;
  let size: number;
  if (input.ciphertext !== undefined) {
    assertBytes(input.ciphertext, 'ciphertext');
    if (input.ciphertextDigest !== undefined || input.ciphertextSize !== undefined) {
      throw new InvalidArgumentError('give either "ciphertext" or "ciphertextDigest" with "ciphertextSize", not both');
    }
    digest = ciphertextDigest(input.ciphertext);
    size = input.ciphertext.length;
  } else {
    assertBytes(input.ciphertextDigest, 'ciphertextDigest', 32);
    if (
      typeof input.ciphertextSize !== 'number' ||
      !Number.isSafeInteger(input.ciphertextSize) ||
      input.ciphertextSize < 0
    ) {
      throw new InvalidArgumentError(
        `"ciphertextSize" expected a non-negative integer, got ${describe(input.ciphertextSize)}`,
      );
    }
    digest = input.ciphertextDigest;
    size = input.ciphertextSize;
  }
  assertString(input.scheme, 'scheme');
  assertString(input.locator, 'locator');
  assertBytes(input.policyDigest, 'policyDigest', 32);
  assertBytes(input.cesHeaderDigest, 'cesHeaderDigest', 32);
  if (input.previous !== undefined) assertBytes(input.previous, 'previous', 32);
  if (input.recordId !== undefined) assertBytes(input.recordId, 'recordId', 16);
  if (
    input.createdAt !== undefined &&
    !(input.createdAt instanceof Date && Number.isFinite(input.createdAt.getTime()))
  ) {
    throw new InvalidArgumentError(`"createdAt" expected a valid Date, got ${describe(input.createdAt)}`);
  }
  if (input.keywords !== undefined && !Array.isArray(input.keywords)) {
    throw new InvalidArgumentError(`"keywords" expected Array, got ${describe(input.keywords)}`);
  }
  const r: Record<string, unknown> = {
    version: RECORD_VERSION,
    recordId: toBase64url(input.recordId ?? randomBytes(16)),
    patient: input.patient,
    hospital: { id: input.hospitalId, keyFingerprint: toBase64url(keyFingerprint(input.hospitalPublicKey)) },
    createdAt: formatTimestamp((input.createdAt ?? new Date()).getTime()),
    ciphertext: { digest: toBase64url(digest), size, scheme: input.scheme },
    locator: input.locator,
    policyDigest: toBase64url(input.policyDigest),
    cesHeaderDigest: toBase64url(input.cesHeaderDigest),
  };
  if (input.keywords !== undefined) r.keywords = [...input.keywords];
  if (input.previous !== undefined) r.previous = toBase64url(input.previous);
  return check(r, false);
}

/**
 * Validate a parsed value as an index record (signed or not) and return a frozen copy.
 *
 * @param value a parsed JSON value
 * @param options `signed`: `true` requires a signature, `false` forbids one, `'optional'` (default) allows both
 * @throws InvalidEncodingError naming the offending field (unknown, missing, wrong type, oversize, bad timestamp, bad digest)
 * @example
 * ```ts
 * import { validateRecord } from 'bpds/index-record';
 * try { validateRecord({ version: 1 }); } catch (e) { console.log((e as Error).message); } // index record: "recordId" is missing
 * ```
 */
export function validateRecord(
  value: unknown,
  options: { signed?: boolean | 'optional' } = {},
): UnsignedIndexRecord | IndexRecord {
  return check(value, options.signed ?? 'optional');
}

/**
 * Parse a signed index record from JSON text (or its UTF-8 bytes) with a strict parser
 * (duplicate keys, lone surrogates, non-safe-integer numbers rejected) and validate it.
 * The signature itself is checked by {@link verifyRecord}.
 *
 * @throws InvalidEncodingError naming the offset (syntax) or the offending field (format)
 * @throws InvalidArgumentError if `json` is neither a string nor a Uint8Array
 * @example
 * ```ts
 * import { parseRecord, serializeRecord } from 'bpds/index-record';
 * declare const record: import('bpds/index-record').IndexRecord;
 * const back = parseRecord(serializeRecord(record));
 * ```
 */
export function parseRecord(json: string | Uint8Array): IndexRecord {
  let s: string;
  if (json instanceof Uint8Array) s = fromUtf8(json, WHAT);
  else {
    assertString(json, 'json');
    s = json;
  }
  if (s.length > RECORD_LIMITS.maxJsonLength) {
    throw new InvalidEncodingError(`${WHAT}: JSON text longer than ${RECORD_LIMITS.maxJsonLength} characters`);
  }
  return check(parseJsonStrict(s, { maxDepth: 8 }), true) as IndexRecord;
}

/**
 * RFC 8785 canonical JSON text of a record (with its signature, if any). This is also
 * its serialization: `parseRecord(canonicalize(r))` returns an equal record.
 *
 * @throws InvalidEncodingError if `record` is not a valid index record (field named)
 * @example
 * ```ts
 * import { canonicalize } from 'bpds/index-record';
 * declare const record: import('bpds/index-record').IndexRecord;
 * const text = canonicalize(record); // '{"cesHeaderDigest":"...",...}'
 * ```
 */
export function canonicalize(record: UnsignedIndexRecord | IndexRecord): string {
  return canonicalText(read(record, 'optional'), true);
}

/** Same as {@link canonicalize}: the JSON text to store or transmit a record. */
export const serializeRecord: (record: UnsignedIndexRecord | IndexRecord) => string = canonicalize;

/**
 * The record digest: tagged SHA-256 (tag `bpds/v1/index-record`) of the canonical bytes of the
 * record without its `signature` member. The hospital signs it; the next record of the same
 * patient names it in `previous`; Merkle batches take it as a leaf.
 *
 * @returns 32 bytes
 * @throws InvalidEncodingError if `record` is not a valid index record (field named)
 * @example
 * ```ts
 * import { recordDigest } from 'bpds/index-record';
 * declare const record: import('bpds/index-record').IndexRecord;
 * const d = recordDigest(record); // 32 bytes
 * ```
 */
export function recordDigest(record: UnsignedIndexRecord | IndexRecord): Uint8Array {
  return digestOf(read(record, 'optional'));
}

/**
 * Sign a record with the hospital's Ed25519 secret key (RFC 8032 over {@link recordDigest}).
 * An existing signature is replaced.
 *
 * @throws InvalidArgumentError if the key does not match `hospital.keyFingerprint`, or is not 32 bytes
 * @throws InvalidEncodingError if `record` is not a valid index record
 * @example
 * ```ts
 * import { signRecord, verifyRecord } from 'bpds/index-record';
 * declare const draft: import('bpds/index-record').UnsignedIndexRecord;
 * declare const hospital: import('bpds/index-record').SigningKeyPair;
 * const record = signRecord(draft, hospital.secretKey);
 * verifyRecord(record, hospital.publicKey); // true
 * ```
 */
export function signRecord(record: UnsignedIndexRecord, secretKey: Uint8Array): IndexRecord {
  const f = read(record, 'optional');
  assertBytes(secretKey, 'secretKey', 32);
  const fp = toBase64url(keyFingerprint(getPublicKey(secretKey)));
  if (fp !== f.keyFingerprint) {
    throw new InvalidArgumentError('"secretKey" does not match the record\'s hospital.keyFingerprint');
  }
  f.signature = toBase64url(signDigest(digestOf(f), secretKey));
  return build(f, true) as IndexRecord;
}

/**
 * Verify a record's hospital signature with the hospital's public key. Returns false
 * (never a reason) when the key's fingerprint differs from `hospital.keyFingerprint`,
 * the signature is missing, or it does not verify.
 *
 * @throws InvalidEncodingError if `record` is not a well-formed index record
 * @throws InvalidArgumentError unless `publicKey` is an Ed25519 public key as base64url text
 * @example
 * ```ts
 * import { verifyRecord } from 'bpds/index-record';
 * declare const record: import('bpds/index-record').IndexRecord;
 * declare const hospitalPublicKey: string; // base64url, e.g. generateSigningKey().publicKey
 * if (!verifyRecord(record, hospitalPublicKey)) throw new Error('forged index record');
 * ```
 */
export function verifyRecord(record: IndexRecord, publicKey: string): boolean {
  const f = read(record, 'optional');
  const key = publicKeyBytes(publicKey);
  if (f.signature === undefined) return false;
  const fpOk = equalBytes(keyFingerprint(publicKey), fromBase64url(f.keyFingerprint));
  const ok = verifyDigest(fromBase64url(f.signature), digestOf(f), key);
  return fpOk && ok;
}
