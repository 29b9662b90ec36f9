/**
 * Streamed records: a hospital's signed record (the CES-signed JSON description, as in
 * sealed.ts) followed by a large attachment (an imaging study, a scanned chart), all
 * inside one streaming CP-ABE ciphertext (encryptStream: the Fujisaki–Okamoto header
 * and STREAM segments, docs/storage.md), bound to the record's context as associated
 * data. Plaintext layout:
 *
 *     u32be(envelope length) | record envelope (sealed.ts) | attachment bytes
 *
 * The attachment's integrity and origin come from the STREAM tags under the CCA-checked
 * header and, at the end, from the ciphertext digest in the hospital-signed index record
 * (checked on the ciphertext stream by the reader). Internal.
 */
import type { JsonValue, Presentation, SignedRecord, VerifyKey } from '../../ces/index.js';
import { decryptStream, encryptStream, type PublicKey, type SecretKey } from '../../cpabe/index.js';
import { ByteQueue } from '../../internal/byte-queue.js';
import { u32be } from '../../internal/bytes.js';
import { ProtocolError } from '../errors.js';
import { MAX_ENVELOPE } from './envelope.js';
import {
  decryptFailure,
  type OpenedRecord,
  type RecordContext,
  type RecordSignatures,
  recordAd,
  recordEnvelope,
  verifyRecordEnvelope,
} from './sealed.js';

/** The plaintext stream: the length-prefixed envelope, then the attachment as it arrives. */
function plaintext(envelope: Uint8Array, content: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = content.getReader();
  let head: Uint8Array | null = new Uint8Array(4 + envelope.length);
  head.set(u32be(envelope.length), 0);
  head.set(envelope, 4);
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (head !== null) {
        c.enqueue(head);
        head = null;
        return;
      }
      const { done, value } = await reader.read(); // the source's errors end the stream
      if (done) c.close();
      else c.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Encrypt a signed record and its attachment stream under `policy`, bound to the record's context. */
export async function sealRecordStream(
  publicKey: PublicKey,
  policy: string,
  context: RecordContext,
  signatures: RecordSignatures,
  record: JsonValue,
  content: ReadableStream<Uint8Array>,
): Promise<ReadableStream<Uint8Array>> {
  const envelope = recordEnvelope(context, signatures, record);
  return encryptStream(publicKey, policy, plaintext(envelope, content), { associatedData: recordAd(context) });
}

/** A streamed record once its header, envelope and CES signature verified. */
export interface OpenedRecordStream extends OpenedRecord {
  /** The attachment: authentic segment by segment, complete and verified only when it closes. */
  readonly content: ReadableStream<Uint8Array>;
}

/**
 * Decrypt a streamed record: header (CCA check), envelope and CES signature are verified
 * before this resolves; the attachment follows as a stream that errors (never closes) on
 * any later failure. Errors of `ciphertext` (storage, digest checks) end it unchanged.
 */
export async function openRecordStream(
  secretKey: SecretKey,
  ciphertext: ReadableStream<Uint8Array>,
  context: RecordContext,
  hospitalKey: VerifyKey,
  extractAll: (signed: SignedRecord, record: JsonValue) => Presentation,
): Promise<OpenedRecordStream> {
  let plain: ReadableStream<Uint8Array>;
  try {
    plain = await decryptStream(secretKey, ciphertext, { associatedData: recordAd(context) });
  } catch (e) {
    decryptFailure(e);
  }
  const q = new ByteQueue(plain, 'record stream');
  let opened: OpenedRecord;
  try {
    if (!(await q.fill(4))) throw new ProtocolError('envelope', 'MALFORMED_ENVELOPE', 'the record stream is empty');
    const lenBytes = q.take(4);
    const n = new DataView(lenBytes.buffer, lenBytes.byteOffset, 4).getUint32(0, false);
    if (n > MAX_ENVELOPE) throw new ProtocolError('envelope', 'MALFORMED_ENVELOPE', 'the record envelope is too long');
    if (!(await q.fill(n))) {
      throw new ProtocolError('envelope', 'MALFORMED_ENVELOPE', 'the record stream ends inside its envelope');
    }
    opened = verifyRecordEnvelope(q.take(n).slice(), context, hospitalKey, extractAll);
  } catch (e) {
    await q.cancel(e);
    if (e instanceof ProtocolError) throw e;
    decryptFailure(e);
  }
  const content = new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        if (q.length === 0 && !(await q.fill(1))) {
          q.release();
          c.close();
          return;
        }
        c.enqueue(q.take(q.length));
      } catch (e) {
        c.error(e instanceof ProtocolError ? e : streamFailure(e));
      }
    },
    cancel: (reason) => q.cancel(reason),
  });
  return { ...opened, content };
}

function streamFailure(e: unknown): unknown {
  try {
    decryptFailure(e);
  } catch (mapped) {
    return mapped;
  }
}
