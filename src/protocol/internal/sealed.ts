/**
 * The cryptographic core of the BPDS flow, independent of the ledger. Internal.
 *
 * BPDS (Liu et al. 2018) joins CP-ABE access control with a content extraction
 * signature (Steinfeld–Bull–Zheng, ICISC 2001): the hospital signs the EMR (CES
 * `Sign`), puts the signed record inside a CP-ABE ciphertext (`Encrypt` under the
 * access policy), and a requester decrypts (`Decrypt`) and checks the hospital's
 * signature (CES `Verify`) on what it received. A patient's field-limited grant
 * carries a content-extracted presentation (CES `Extract`) encrypted for the
 * requester.
 *
 * Both ciphertexts bind their context as CP-ABE associated data (tagged hash of
 * the length-prefixed ids), and the envelope repeats the ids, so a ciphertext can
 * never be replayed under another record, patient, grant or requester.
 */
import type { JsonValue, Presentation, SignedRecord, VerifyKey, VerifyResult } from '../../ces/index.js';
import { Presentation as PresentationClass, SignedRecord as SignedRecordClass, verify } from '../../ces/index.js';
import { decrypt, encrypt, type PublicKey, type SecretKey } from '../../cpabe/index.js';
import { InvalidArgumentError, PolicyNotSatisfiedError } from '../../errors.js';
import { lp, utf8 } from '../../internal/bytes.js';
import { ByteReader, ByteWriter } from '../../internal/codec.js';
import { canonicalBytes } from '../../internal/jcs.js';
import { parseJsonStrict } from '../../internal/strict-json.js';
import { taggedHash } from '../../internal/tagged-hash.js';
import { ProtocolError } from '../errors.js';
import { EnvelopeKind, MAX_ENVELOPE, openEnvelope, sealEnvelope } from './envelope.js';

const MAX_ID = 256;

/** Who and what a record ciphertext is bound to. */
export interface RecordContext {
  readonly recordId: string;
  readonly hospitalId: string;
  readonly patientId: string;
}

/** Who and what a presentation ciphertext is bound to. */
export interface PresentationContext extends RecordContext {
  readonly grantId: string;
  readonly requesterId: string;
}

/** The CP-ABE associated data of a record ciphertext. */
export function recordAd(c: RecordContext): Uint8Array {
  return taggedHash('bpds/v1/protocol/record-ad', lp(utf8(c.recordId)), lp(utf8(c.hospitalId)), lp(utf8(c.patientId)));
}

function presentationAd(c: PresentationContext): Uint8Array {
  return taggedHash(
    'bpds/v1/protocol/presentation-ad',
    lp(utf8(c.recordId)),
    lp(utf8(c.hospitalId)),
    lp(utf8(c.patientId)),
    lp(utf8(c.grantId)),
    lp(utf8(c.requesterId)),
  );
}

/** CP-ABE decryption failures as protocol errors naming the step. */
export function decryptFailure(e: unknown): never {
  if (e instanceof PolicyNotSatisfiedError) {
    throw new ProtocolError('decrypt', 'POLICY_NOT_SATISFIED', 'the key attributes do not satisfy the access policy', {
      cause: e,
    });
  }
  if (e instanceof InvalidArgumentError || e instanceof ProtocolError) throw e;
  throw new ProtocolError('decrypt', 'DECRYPTION_FAILED', 'decryption failed', { cause: e });
}

/** CP-ABE decryption with protocol errors naming the step. */
async function abeDecrypt(secretKey: SecretKey, ciphertext: Uint8Array, ad: Uint8Array): Promise<Uint8Array> {
  try {
    return await decrypt(secretKey, ciphertext, { associatedData: ad });
  } catch (e) {
    if (e instanceof PolicyNotSatisfiedError) {
      throw new ProtocolError(
        'decrypt',
        'POLICY_NOT_SATISFIED',
        'the key attributes do not satisfy the access policy',
        {
          cause: e,
        },
      );
    }
    if (e instanceof InvalidArgumentError) throw e;
    throw new ProtocolError('decrypt', 'DECRYPTION_FAILED', 'decryption failed', { cause: e });
  }
}

function readContext(r: ByteReader, c: RecordContext): void {
  const recordId = r.string('recordId', MAX_ID);
  const hospitalId = r.string('hospitalId', MAX_ID);
  const patientId = r.string('patientId', MAX_ID);
  if (recordId !== c.recordId || hospitalId !== c.hospitalId || patientId !== c.patientId) {
    throw new ProtocolError('envelope', 'CONTEXT_MISMATCH', 'the envelope is bound to another record');
  }
}

/** Overwrite a temporary plaintext buffer (best effort: JavaScript gives no zeroization guarantee). */
function wipe(b: Uint8Array): void {
  b.fill(0);
}

function envelopeError(e: unknown): never {
  if (e instanceof ProtocolError) throw e;
  throw new ProtocolError('envelope', 'MALFORMED_ENVELOPE', 'the decrypted envelope is malformed', { cause: e });
}

/**
 * The hospital's signatures over one record. `full` has no extraction rules, so a
 * reader allowed the whole record can verify every field; `shareable` carries the
 * extraction rules that bind the patient's presentations (its header digest is in
 * the index record). Without rules one signature serves both.
 */
export interface RecordSignatures {
  readonly full: SignedRecord;
  readonly shareable?: SignedRecord;
}

/** The padded envelope of a hospital's signed record (context, signatures, canonical record). */
export function recordEnvelope(context: RecordContext, signatures: RecordSignatures, record: JsonValue): Uint8Array {
  const body = new ByteWriter()
    .string(context.recordId)
    .string(context.hospitalId)
    .string(context.patientId)
    .varBytes(signatures.full.toBytes())
    .varBytes(signatures.shareable?.toBytes() ?? new Uint8Array(0))
    .varBytes(canonicalBytes(record))
    .finish();
  try {
    return sealEnvelope(EnvelopeKind.SignedRecord, body);
  } finally {
    wipe(body);
  }
}

/** Encrypt a hospital's signed record under `policy`, bound to its context. */
export async function sealRecord(
  publicKey: PublicKey,
  policy: string,
  context: RecordContext,
  signatures: RecordSignatures,
  record: JsonValue,
): Promise<Uint8Array> {
  const envelope = recordEnvelope(context, signatures, record);
  try {
    return await encrypt(publicKey, policy, envelope, { associatedData: recordAd(context) });
  } finally {
    wipe(envelope);
  }
}

/** What a record ciphertext holds, once decrypted and verified. */
export interface OpenedRecord {
  /** The signature a patient extracts presentations from (with the extraction rules). */
  readonly signed: SignedRecord;
  readonly record: JsonValue;
  readonly verification: Extract<VerifyResult, { valid: true }>;
}

/**
 * Decrypt a record ciphertext, parse the envelope, and verify the hospital's CES
 * signature over the whole record. Throws ProtocolError naming the failed step.
 */
export async function openRecord(
  secretKey: SecretKey,
  ciphertext: Uint8Array,
  context: RecordContext,
  hospitalKey: VerifyKey,
  extractAll: (signed: SignedRecord, record: JsonValue) => Presentation,
): Promise<OpenedRecord> {
  const plain = await abeDecrypt(secretKey, ciphertext, recordAd(context));
  try {
    return verifyRecordEnvelope(plain, context, hospitalKey, extractAll);
  } finally {
    wipe(plain); // defence in depth: the parsed objects hold copies
  }
}

/** Parse a decrypted record envelope and verify the hospital's CES signature over the whole record. */
export function verifyRecordEnvelope(
  plain: Uint8Array,
  context: RecordContext,
  hospitalKey: VerifyKey,
  extractAll: (signed: SignedRecord, record: JsonValue) => Presentation,
): OpenedRecord {
  let full: SignedRecord;
  let signed: SignedRecord;
  let record: JsonValue;
  try {
    const r = new ByteReader(openEnvelope(plain, EnvelopeKind.SignedRecord), 'record envelope');
    readContext(r, context);
    full = SignedRecordClass.fromBytes(r.varBytes('signed record', MAX_ENVELOPE));
    const shareable = r.varBytes('shareable signed record', MAX_ENVELOPE);
    signed = shareable.length === 0 ? full : SignedRecordClass.fromBytes(shareable);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(r.varBytes('record', MAX_ENVELOPE));
    r.end();
    record = parseJsonStrict(text, { allowFloats: true, maxLength: MAX_ENVELOPE }) as JsonValue;
  } catch (e) {
    envelopeError(e);
  }
  let presentation: Presentation;
  try {
    presentation = extractAll(full, record);
  } catch (e) {
    throw new ProtocolError('signature', 'RECORD_MISMATCH', 'the record does not match its signature', { cause: e });
  }
  const v = checkSignature(hospitalKey, presentation);
  return { signed, record: v.disclosed ?? null, verification: v };
}

function checkSignature(
  hospitalKey: VerifyKey,
  p: Presentation | Uint8Array,
  binding?: { audience: string; nonce: string },
): Extract<VerifyResult, { valid: true }> {
  let v: VerifyResult;
  try {
    v = verify(hospitalKey, p, binding ?? {});
  } catch (e) {
    throw new ProtocolError('signature', 'MALFORMED_PRESENTATION', 'the signed content is malformed', { cause: e });
  }
  if (!v.valid) {
    throw new ProtocolError(
      'signature',
      'INVALID_SIGNATURE',
      `the hospital's content extraction signature does not verify (${v.reason})`,
    );
  }
  return v;
}

/** Encrypt a patient's presentation for one grant under `policy`. */
export async function sealPresentation(
  publicKey: PublicKey,
  policy: string,
  context: PresentationContext,
  presentation: Presentation,
): Promise<Uint8Array> {
  const body = new ByteWriter()
    .string(context.recordId)
    .string(context.hospitalId)
    .string(context.patientId)
    .string(context.grantId)
    .string(context.requesterId)
    .varBytes(presentation.toBytes())
    .finish();
  const envelope = sealEnvelope(EnvelopeKind.Presentation, body);
  wipe(body);
  try {
    return await encrypt(publicKey, policy, envelope, { associatedData: presentationAd(context) });
  } finally {
    wipe(envelope);
  }
}

/** Decrypt a presentation ciphertext and verify it against the hospital's key. */
export async function openPresentation(
  secretKey: SecretKey,
  ciphertext: Uint8Array,
  context: PresentationContext,
  hospitalKey: VerifyKey,
): Promise<{ presentation: Presentation; verification: Extract<VerifyResult, { valid: true }> }> {
  const plain = await abeDecrypt(secretKey, ciphertext, presentationAd(context));
  let bytes: Uint8Array;
  let presentation: Presentation;
  try {
    const r = new ByteReader(openEnvelope(plain, EnvelopeKind.Presentation), 'presentation envelope');
    readContext(r, context);
    const grantId = r.string('grantId', MAX_ID);
    const requesterId = r.string('requesterId', MAX_ID);
    if (grantId !== context.grantId || requesterId !== context.requesterId) {
      throw new ProtocolError('envelope', 'CONTEXT_MISMATCH', 'the envelope is bound to another grant');
    }
    bytes = r.varBytes('presentation', MAX_ENVELOPE);
    r.end();
    presentation = PresentationClass.fromBytes(bytes);
  } catch (e) {
    envelopeError(e);
  }
  try {
    // The patient's holder binding: this grantee (audience) and this grant (nonce).
    const binding = { audience: context.requesterId, nonce: context.grantId };
    return { presentation, verification: checkSignature(hospitalKey, bytes, binding) };
  } finally {
    wipe(plain);
  }
}
