/**
 * The streaming ciphertext format (kind 6), its header codec and the STREAM nonces.
 *
 *     prefix  = "bpds" | kind=6 | version | scheme | curve | u32 segmentSize | lp(canonical policy)
 *     body    = prefix | lp(ABE components)
 *     header  = body | C_sigma (32)
 *     file    = header | segment_0 | ... | segment_{n-1}
 *     segment = AES-256-GCM(key, nonce = P7 | u32be(i) | last, plaintext_i, ad = streamAd(header, AD))
 *
 * Every segment's plaintext is `segmentSize` bytes except the last, which holds 0..segmentSize
 * bytes (0 only when the whole plaintext is empty); n >= 1. A reader knows a segment is the
 * last one only from the end of the input, and the flag in its nonce makes that decision
 * authenticated (Hoang, Reyhanitabar, Rogaway, Vizár, CRYPTO 2015, §7: STREAM). Internal.
 */
import { InvalidEncodingError } from '../../errors.js';
import type { ByteQueue } from '../../internal/byte-queue.js';
import { fromUtf8 } from '../../internal/bytes.js';
import { ByteReader, ByteWriter } from '../../internal/codec.js';
import type { AnyCore } from '../schemes/index.js';
import { readHeader, writeHeader } from './format.js';
import { MAX_POLICY_BYTES, type PreparedPolicy, policyFromHeader } from './policy-bridge.js';

/** Default plaintext bytes per segment: 64 KiB. */
export const DEFAULT_SEGMENT_SIZE = 64 * 1024;
/** Smallest segment size a header may name. */
export const MIN_SEGMENT_SIZE = 16;
/** Largest segment size a header may name (bounds a reader's buffer): 16 MiB. */
export const MAX_SEGMENT_SIZE = 16 * 1024 * 1024;
/** Segments per file: the counter is a u32 and the last index must fit. */
export const MAX_SEGMENTS = 2 ** 32;
/** AES-GCM tag size. */
export const TAG = 16;

const WHAT = 'CP-ABE streaming ciphertext';
/** Generous per-row bound of every scheme's ABE components (all are under 200 bytes a row). */
const ABE_ROW_BOUND = 512;
const ABE_FIXED_BOUND = 2048;

/** The prefix of a streaming header: framing, segment size, canonical policy. */
export function writeStreamPrefix(core: AnyCore, segmentSize: number, policyText: string): Uint8Array {
  const w = new ByteWriter();
  writeHeader(w, 'stream', core);
  w.u32(segmentSize);
  w.string(policyText);
  return w.finish();
}

/** A parsed streaming header. */
export interface StreamHeader {
  readonly core: AnyCore;
  readonly segmentSize: number;
  readonly prepared: PreparedPolicy;
  readonly ct: unknown;
  readonly prefix: Uint8Array;
  readonly body: Uint8Array;
  readonly header: Uint8Array;
  readonly cSigma: Uint8Array;
}

async function need(q: ByteQueue, n: number, field: string): Promise<Uint8Array> {
  if (!(await q.fill(n))) throw new InvalidEncodingError(`${WHAT}: truncated while reading ${field}`);
  return q.take(n);
}

/**
 * Read and validate a streaming header from `q`: framing (kind 6 only: a whole-buffer
 * ciphertext is refused), segment size, canonical policy, the scheme's components (every
 * point validated), C_sigma. Work and buffering are bounded by the policy size.
 * @throws {InvalidEncodingError} for anything malformed.
 */
export async function readStreamHeader(q: ByteQueue): Promise<StreamHeader> {
  const frame = await need(q, 16, 'framing');
  const r = new ByteReader(frame, WHAT);
  let core: AnyCore;
  try {
    core = readHeader(r, 'stream').core;
  } catch (e) {
    if (e instanceof InvalidEncodingError && /got a CP-ABE (ciphertext|encapsulation)/.test(e.message)) {
      throw new InvalidEncodingError(`${e.message} (a whole-buffer ciphertext: use decrypt, not decryptStream)`);
    }
    throw e;
  }
  const segmentSize = r.u32('segment size');
  if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
    throw new InvalidEncodingError(
      `${WHAT}: segment size ${segmentSize} outside ${MIN_SEGMENT_SIZE}..${MAX_SEGMENT_SIZE}`,
    );
  }
  const policyLength = r.u32('policy length');
  if (policyLength > MAX_POLICY_BYTES) {
    throw new InvalidEncodingError(`${WHAT}: policy length ${policyLength} exceeds the limit ${MAX_POLICY_BYTES}`);
  }
  const policyBytes = await need(q, policyLength, 'policy');
  const text = fromUtf8(policyBytes, `${WHAT} policy`);
  const prepared = policyFromHeader(text, WHAT);
  const abeLength = new ByteReader(await need(q, 4, 'components length'), WHAT).u32('components length');
  const bound = ABE_FIXED_BOUND + ABE_ROW_BOUND * prepared.lsss.rowLabels.length;
  if (abeLength > bound) throw new InvalidEncodingError(`${WHAT}: components length ${abeLength} exceeds ${bound}`);
  const abe = await need(q, abeLength, 'components');
  const ar = new ByteReader(abe, WHAT);
  const ct = core.readCiphertext(ar, prepared.lsss.rowLabels.length);
  ar.end();
  const cSigma = (await need(q, 32, 'C_sigma')).slice();
  const prefix = writeStreamPrefix(core, segmentSize, prepared.text);
  const body = new ByteWriter().bytes(prefix).varBytes(abe).finish();
  const header = new ByteWriter().bytes(body).bytes(cSigma).finish();
  return { core, segmentSize, prepared, ct, prefix, body, header, cSigma };
}

/** The 12-byte nonce of segment `index`: 7-byte prefix | u32be(index) | last flag. */
export function segmentNonce(prefix: Uint8Array, index: number, last: boolean): Uint8Array<ArrayBuffer> {
  const n = new Uint8Array(12);
  n.set(prefix.subarray(0, 7), 0);
  new DataView(n.buffer).setUint32(7, index, false);
  n[11] = last ? 1 : 0;
  return n;
}
