/**
 * The error of the BPDS protocol layer: every failed check in the composed flow
 * (hospital, patient, requester, audit, blob stores) throws a {@link ProtocolError}
 * that names the failed `step` and a stable `reason`, so an application can tell
 * the user what went wrong without parsing messages.
 *
 * @module protocol/errors
 */
import type { DecisionReason } from '../chain/types.js';
import { BpdsError, type BpdsErrorOptions, type LedgerReason } from '../errors.js';

/**
 * The steps of the BPDS flow that can fail, in the order a requester meets them.
 *
 * - `blob-store`: storing or fetching bytes in a {@link BlobStore} (unknown locator, I/O).
 * - `blob-integrity`: a stored blob does not hash to its content address.
 * - `publish`: the hospital could not sign, encrypt, store or publish a record.
 * - `index-record`: the index record is unknown, malformed or its hospital signature fails.
 * - `access`: the ledger refused the request (no grant, revoked, expired, replayed).
 * - `ciphertext-digest`: the fetched ciphertext does not match the index record.
 * - `decrypt`: CP-ABE decryption failed (attributes do not satisfy the policy, or tampering).
 * - `envelope`: the decrypted plaintext is not a well-formed BPDS envelope, or it is bound to another record.
 * - `signature`: the hospital's content extraction signature does not verify.
 * - `grant`: a patient's grant, revocation or presentation could not be made.
 */
export type ProtocolStep =
  | 'blob-store'
  | 'blob-integrity'
  | 'publish'
  | 'index-record'
  | 'access'
  | 'ciphertext-digest'
  | 'decrypt'
  | 'envelope'
  | 'signature'
  | 'grant';

declare module '../errors.js' {
  interface BpdsErrorCodes {
    ERR_PROTOCOL: ProtocolError;
  }
}

/**
 * The protocol layer's own `reason` sub-codes of {@link ProtocolError}. A new
 * reason adds one line here.
 *
 * @example
 * ```ts
 * import { PROTOCOL_REASONS } from 'bpds/protocol';
 * console.log(PROTOCOL_REASONS.includes('DIGEST_MISMATCH')); // true
 * ```
 */
export const PROTOCOL_REASONS = [
  'BAD_LOCATOR',
  'BLOB_NOT_FOUND',
  'BLOB_CORRUPT',
  'IO_ERROR',
  'CONTEXT_MISMATCH',
  'DECISION_MISMATCH',
  'NO_DECISION',
  'DECRYPTION_FAILED',
  'DIGEST_MISMATCH',
  'FIELDS_EXCEED_GRANT',
  'INVALID_SIGNATURE',
  'PRESENTATION_REQUIRED',
  'MALFORMED_ENVELOPE',
  'MALFORMED_PRESENTATION',
  'NOT_OWNER',
  'RECORD_MISMATCH',
  'UNKNOWN_GRANT',
  'UNKNOWN_HOSPITAL',
  'UNKNOWN_PATIENT',
  'UNKNOWN_RECORD',
  'POLICY_NOT_SATISFIED',
  // blob stores (docs/storage.md)
  'BLOB_TOO_LARGE',
  'ACCESS_DENIED',
  'BUCKET_NOT_FOUND',
  'UNAVAILABLE',
  'S3_ERROR',
] as const;

/**
 * A {@link ProtocolError}'s `reason`: one of {@link PROTOCOL_REASONS}, or the ledger's
 * reason passed through (a {@link LedgerReason} when the ledger refused a transaction,
 * a `DecisionReason` when it denied access).
 *
 * @example
 * ```ts
 * import type { ProtocolReason } from 'bpds/protocol';
 * const r: ProtocolReason = 'BLOB_NOT_FOUND';
 * ```
 */
export type ProtocolReason = (typeof PROTOCOL_REASONS)[number] | LedgerReason | DecisionReason;

/**
 * Thrown by `bpds/protocol` when a step of the BPDS flow fails. `step` says which
 * step (see {@link ProtocolStep}); `reason` is a stable upper-case sub-code such as
 * `'BLOB_NOT_FOUND'`, `'DIGEST_MISMATCH'` or `'POLICY_NOT_SATISFIED'`. The
 * underlying error, if any, is in `cause`. Nothing is ever returned unverified:
 * a result either passed every check or this error is thrown.
 *
 * @example
 * ```ts
 * import { ProtocolError } from 'bpds/protocol';
 * const e = new ProtocolError('ciphertext-digest', 'DIGEST_MISMATCH', 'the ciphertext does not match the index record');
 * console.log(e.code, e.step, e.reason); // 'ERR_PROTOCOL' 'ciphertext-digest' 'DIGEST_MISMATCH'
 * ```
 */
export class ProtocolError extends BpdsError {
  static override readonly code = 'ERR_PROTOCOL' as const;
  declare readonly code: 'ERR_PROTOCOL';
  /** The step of the flow that failed. */
  readonly step: ProtocolStep;
  /** Stable reason sub-code, e.g. `'BLOB_NOT_FOUND'`: see {@link ProtocolReason}. */
  readonly reason: ProtocolReason;

  constructor(step: ProtocolStep, reason: ProtocolReason, message: string, options?: BpdsErrorOptions) {
    super(`${step}: ${message} (${reason})`, options);
    this.step = step;
    this.reason = reason;
  }
}
