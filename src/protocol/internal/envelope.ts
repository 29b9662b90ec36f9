/**
 * The BPDS envelope: the plaintext that the protocol encrypts with CP-ABE, both
 * for a hospital's signed record and for a patient's field-limited presentation.
 * Internal.
 *
 * Layout (version 1):
 *   u8 version (1) · u8 kind · u32 bodyLength · body · zero padding
 * The whole envelope is padded with zero bytes to a size bucket
 * ({@link paddedSize}) so a ciphertext's size reveals only the bucket (see
 * docs/privacy.md). Decoding checks the version, the kind, the body bounds and
 * that every padding byte is zero.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../../errors.js';
import { ByteReader, ByteWriter } from '../../internal/codec.js';

export const ENVELOPE_VERSION = 1;

/** Kinds of envelope. */
export const EnvelopeKind = {
  /** A hospital's signed record: the CES signature with all salts, and the record. */
  SignedRecord: 1,
  /** A patient's content-extracted presentation for one grant. */
  Presentation: 2,
} as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];

/** Largest envelope accepted: 64 MiB. */
export const MAX_ENVELOPE = 64 * 1024 * 1024;
const MIN_BUCKET = 1024;
const LARGE_STEP = 64 * 1024;

/**
 * The padded size of an envelope of `n` bytes: powers of two from 1 KiB to
 * 64 KiB, then the next multiple of 64 KiB.
 */
export function paddedSize(n: number): number {
  if (n <= MIN_BUCKET) return MIN_BUCKET;
  if (n <= LARGE_STEP) {
    let b = MIN_BUCKET;
    while (b < n) b *= 2;
    return b;
  }
  return Math.ceil(n / LARGE_STEP) * LARGE_STEP;
}

/** Encode and pad an envelope around `body`. */
export function sealEnvelope(kind: EnvelopeKind, body: Uint8Array): Uint8Array {
  const head = new ByteWriter().u8(ENVELOPE_VERSION).u8(kind).varBytes(body).finish();
  if (head.length > MAX_ENVELOPE) {
    throw new InvalidArgumentError(
      `"record" too large: the envelope would be ${head.length} bytes, the limit is ${MAX_ENVELOPE}`,
    );
  }
  const out = new Uint8Array(paddedSize(head.length));
  out.set(head);
  return out;
}

/** Decode an envelope of the expected kind and return its body. */
export function openEnvelope(bytes: Uint8Array, kind: EnvelopeKind): Uint8Array {
  if (bytes.length > MAX_ENVELOPE) throw new InvalidEncodingError('envelope: too large');
  const r = new ByteReader(bytes, 'envelope');
  const v = r.u8('version');
  if (v !== ENVELOPE_VERSION) throw new InvalidEncodingError(`envelope: unknown version ${v}`);
  const k = r.u8('kind');
  if (k !== kind) throw new InvalidEncodingError(`envelope: expected kind ${kind}, got ${k}`);
  const body = r.varBytes('body');
  const pad = r.bytes(r.remaining, 'padding');
  let nz = 0;
  for (const x of pad) nz |= x;
  if (nz !== 0) throw new InvalidEncodingError('envelope: non-zero padding');
  return body;
}
