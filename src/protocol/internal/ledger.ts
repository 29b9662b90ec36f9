/**
 * Ledger plumbing shared by the roles: signed submissions with errors naming the
 * step, and the verified loading of index records and ciphertexts. Internal.
 */
import type { Ledger, TxBodies, TxReceipt, TxType } from '../../chain/index.js';
import { createTransaction } from '../../chain/index.js';
import { InvalidArgumentError, LedgerError } from '../../errors.js';
import { ciphertextDigest, type IndexRecord, recordDigest, TAGS, verifyRecord } from '../../index-record/index.js';
import { equalBytes, fromBase64url, toBase64url } from '../../internal/bytes.js';
import { taggedHasher } from '../../internal/tagged-hash.js';
import type { BlobStore } from '../blob-store.js';
import { getBlobStream } from '../blob-stream.js';
import { ProtocolError, type ProtocolStep } from '../errors.js';

/** Sign and submit a transaction; a ledger refusal becomes a ProtocolError at `step`. */
export async function submit<T extends TxType>(
  ledger: Ledger,
  actor: string,
  secretKey: Uint8Array,
  type: T,
  body: TxBodies[T],
  step: ProtocolStep,
): Promise<TxReceipt> {
  const tx = createTransaction(ledger.chainId, actor, type, body, secretKey);
  try {
    return await ledger.submit(tx);
  } catch (e) {
    if (e instanceof LedgerError)
      throw new ProtocolError(step, e.reason, `the ledger refused ${type}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** An index record checked against its hospital's registered key. */
export interface VerifiedIndexRecord {
  readonly record: IndexRecord;
  /** The hospital's Ed25519 public key, from the ledger's registry. */
  readonly hospitalKey: string;
  /** base64url of the record digest. */
  readonly digest: string;
}

/** Load an index record and verify the hospital's signature with the key the ledger registered. */
export async function loadIndexRecord(ledger: Ledger, recordId: string): Promise<VerifiedIndexRecord> {
  const record = await ledger.getRecord(recordId);
  if (record === undefined) throw new ProtocolError('index-record', 'UNKNOWN_RECORD', `no index record ${recordId}`);
  if (record.recordId !== recordId) {
    throw new ProtocolError('index-record', 'RECORD_MISMATCH', 'the ledger returned another index record');
  }
  const party = await ledger.getParty(record.hospital.id);
  if (party === undefined || party.role !== 'hospital') {
    throw new ProtocolError('index-record', 'UNKNOWN_HOSPITAL', `"${record.hospital.id}" is not a registered hospital`);
  }
  const hospitalKey = party.publicKey;
  let ok = false;
  try {
    ok = verifyRecord(record, hospitalKey);
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    // the record names another key than the registered one: a wrong hospital key
  }
  if (!ok) {
    throw new ProtocolError(
      'index-record',
      'INVALID_SIGNATURE',
      `the index record is not signed by the registered key of hospital "${record.hospital.id}"`,
    );
  }
  return { record, hospitalKey, digest: toBase64url(recordDigest(record)) };
}

/** Fetch a record's ciphertext and check it against the digest and size in the index record. */
export async function fetchCiphertext(store: BlobStore, record: IndexRecord): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await store.get(record.locator);
  } catch (e) {
    if (e instanceof InvalidArgumentError) {
      throw new ProtocolError('blob-store', 'BAD_LOCATOR', 'the index record names an invalid locator', { cause: e });
    }
    throw e;
  }
  const want = fromBase64url(record.ciphertext.digest, 'ciphertext digest');
  if (bytes.length !== record.ciphertext.size || !equalBytes(ciphertextDigest(bytes), want)) {
    throw new ProtocolError(
      'ciphertext-digest',
      'DIGEST_MISMATCH',
      'the stored ciphertext does not match the digest in the index record',
    );
  }
  return bytes;
}

/**
 * Stream a record's ciphertext from the store, checked against the digest and size in the
 * index record: more bytes than the index record names error the stream at once, and a
 * digest or size mismatch errors it at the end (`ciphertext-digest`, `DIGEST_MISMATCH`)
 * instead of closing it. The store's own errors (`BLOB_CORRUPT`...) pass through.
 */
export async function fetchCiphertextStream(
  store: BlobStore,
  record: IndexRecord,
): Promise<ReadableStream<Uint8Array>> {
  let source: ReadableStream<Uint8Array>;
  try {
    source = await getBlobStream(store, record.locator);
  } catch (e) {
    if (e instanceof InvalidArgumentError) {
      throw new ProtocolError('blob-store', 'BAD_LOCATOR', 'the index record names an invalid locator', { cause: e });
    }
    throw e;
  }
  const want = fromBase64url(record.ciphertext.digest, 'ciphertext digest');
  const h = taggedHasher(TAGS.ciphertext);
  let size = 0;
  const mismatch = () =>
    new ProtocolError(
      'ciphertext-digest',
      'DIGEST_MISMATCH',
      'the stored ciphertext does not match the digest in the index record',
    );
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        size += chunk.length;
        if (size > record.ciphertext.size) throw mismatch();
        h.update(chunk);
        c.enqueue(chunk);
      },
      flush() {
        if (size !== record.ciphertext.size || !equalBytes(h.digest(), want)) throw mismatch();
      },
    }),
  );
}
