/**
 * The shapes of an index record (plain JSON data). Kept apart from `record.ts` so the codec in
 * `internal/record-codec.ts` can name them without importing the module that imports it.
 * The normative format is `docs/index-record.md`.
 */
/** The issuing hospital. */
export interface RecordHospital {
  /** Registered hospital id (opaque). */
  readonly id: string;
  /** base64url of `keyFingerprint` of the hospital's Ed25519 public key. */
  readonly keyFingerprint: string;
}

/** The stored ciphertext. */
export interface RecordCiphertext {
  /** base64url of `ciphertextDigest` of the stored bytes. */
  readonly digest: string;
  /** Size of the stored bytes. */
  readonly size: number;
  /** CP-ABE scheme id, e.g. `fame`, `waters11`, `bsw07`. */
  readonly scheme: string;
}

/** An index record before the hospital signs it. All binary values are base64url without padding. */
export interface UnsignedIndexRecord {
  readonly version: 1;
  /** 16 random bytes. */
  readonly recordId: string;
  /** The patient's pseudonym (opaque). */
  readonly patient: string;
  readonly hospital: RecordHospital;
  /** RFC 3339 UTC, e.g. `2026-11-24T20:00:00Z`. */
  readonly createdAt: string;
  readonly ciphertext: RecordCiphertext;
  /** Storage locator (opaque URI). */
  readonly locator: string;
  /** Digest of the canonical access policy (`policyDigest` of `bpds/policy`); the policy stays off-chain. */
  readonly policyDigest: string;
  /** `cesHeaderDigest` of the content-extraction-signature header. */
  readonly cesHeaderDigest: string;
  /** Optional keyword tags: unique, non-empty. */
  readonly keywords?: readonly string[];
  /** Optional `recordDigest` of the patient's previous index record (per-patient hash chain). */
  readonly previous?: string;
}

/** The hospital's signature over `recordDigest`. */
export interface RecordSignature {
  readonly alg: 'Ed25519';
  /** base64url of the 64-byte signature. */
  readonly value: string;
}

/** A signed index record. */
export interface IndexRecord extends UnsignedIndexRecord {
  readonly signature: RecordSignature;
}
