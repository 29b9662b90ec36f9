/**
 * What a requester gets back: the disclosed record and a verification report
 * saying who signed it, when, which index record it belongs to and what was
 * hidden.
 *
 * @module protocol/report
 */
import type { JsonValue } from '../ces/index.js';
import type { PurposeOfUse } from '../chain/index.js';

/** The checks a requester passed, and the provenance of what it read. */
export interface VerificationReport {
  /** `'record'`: the hospital's full ciphertext; `'presentation'`: a patient's field-limited presentation. */
  readonly source: 'record' | 'presentation';
  /** The index record's id. */
  readonly recordId: string;
  /** base64url digest of the index record (tag `bpds/v1/index-record`). */
  readonly indexRecordDigest: string;
  /** The patient's pseudonym. */
  readonly patient: string;
  /** The hospital that signed the record and the index record, and its key fingerprint (base64url). */
  readonly signedBy: { readonly hospital: string; readonly keyFingerprint: string };
  /** When the hospital signed the record (RFC 3339, from the CES header). */
  readonly signedAt: string;
  /** When the index record was created (RFC 3339). */
  readonly publishedAt: string;
  /**
   * base64url digest (tag `bpds/v1/ciphertext`) of the ciphertext that was decrypted: for a
   * record, the one checked against the index record; for a presentation, the patient's.
   */
  readonly ciphertextDigest: string;
  /** Content extraction signature scheme and random document id (hex). */
  readonly ces: { readonly scheme: string; readonly documentId: string; readonly rulesId: string };
  /** JSON Pointers of the disclosed fields, in path order. */
  readonly disclosedFields: readonly string[];
  /** Fields the grant allowed (JSON Pointers), or `'all'`. */
  readonly grantedFields: readonly string[] | 'all';
  /** True when some signed fields were hidden from this requester. */
  readonly fieldsHidden: boolean;
  /** The ledger's access decision. */
  readonly access: {
    readonly requestId: string;
    readonly purpose: PurposeOfUse;
    readonly reason: string;
    readonly grantId?: string;
    readonly expiresAt?: string;
  };
}

/** The result of a successful access: every check passed. */
export interface AccessResult {
  /** The disclosed record (hidden parts absent), exactly as the hospital signed it. */
  readonly record: JsonValue;
  /** How it was verified. */
  readonly report: VerificationReport;
}

/** RFC 6901 JSON Pointer of a claims path. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
