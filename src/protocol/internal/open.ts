/**
 * Reading a full record the way every reader must: verified index record,
 * ciphertext checked against it, CP-ABE decryption, CES verification, CES header
 * bound to the index record. Shared by the requester and the patient. Internal.
 */
import { extract } from '../../ces/index.js';
import type { Ledger } from '../../chain/index.js';
import type { SecretKey } from '../../cpabe/index.js';
import { cesHeaderDigest } from '../../index-record/index.js';
import { equalBytes, fromBase64url } from '../../internal/bytes.js';
import type { BlobStore } from '../blob-store.js';
import { ProtocolError } from '../errors.js';
import { cesVerifyKey } from './keys.js';
import { fetchCiphertext, loadIndexRecord, type VerifiedIndexRecord } from './ledger.js';
import { type OpenedRecord, openRecord } from './sealed.js';

/** Throw unless the signed CES header is the one the index record names. */
export function checkHeaderBinding(signed: { readonly headerBytes: Uint8Array }, expected: string): void {
  let ok = false;
  try {
    ok = equalBytes(cesHeaderDigest(signed.headerBytes), fromBase64url(expected, 'cesHeaderDigest'));
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new ProtocolError('signature', 'RECORD_MISMATCH', 'the signed content belongs to another index record');
  }
}

/** A fully verified record. */
export interface VerifiedRead extends OpenedRecord {
  readonly index: VerifiedIndexRecord;
  readonly ciphertext: Uint8Array;
}

/** Read and verify the full record behind `recordId` with `key`. */
export async function readRecord(
  ledger: Ledger,
  store: BlobStore,
  key: SecretKey,
  recordId: string,
): Promise<VerifiedRead> {
  const index = await loadIndexRecord(ledger, recordId);
  const { record } = index;
  const ciphertext = await fetchCiphertext(store, record);
  const opened = await openRecord(
    key,
    ciphertext,
    { recordId, hospitalId: record.hospital.id, patientId: record.patient },
    cesVerifyKey(index.hospitalKey),
    (signed, rec) => extract(signed, rec, [[]]),
  );
  checkHeaderBinding(opened.signed, record.cesHeaderDigest);
  return { ...opened, index, ciphertext };
}
