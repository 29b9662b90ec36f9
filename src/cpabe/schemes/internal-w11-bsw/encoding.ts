/**
 * Field readers/writers shared by the Waters11 and BSW07 bodies: fixed-size
 * points (validated: on the curve, in the order-r subgroup, canonical, not the
 * identity), canonical scalars, bounded counts and length-prefixed labels.
 * Internal.
 */
import { InvalidEncodingError } from '../../../errors.js';
import type { ByteReader, ByteWriter } from '../../../internal/codec.js';
import {
  FR_BYTES,
  type Fr,
  frFromBytes,
  frToBytes,
  type G1,
  G1_BYTES,
  type G2,
  G2_BYTES,
  g1ToBytes,
  g2ToBytes,
} from '../../../pairing/index.js';
import { g1Decode, g2Decode, g2DecodeForExactCheck } from '../../internal/point-decode.js';
import { MAX_KEY_ATTRIBUTES, MAX_LABEL_BYTES, MAX_ROWS } from './limits.js';

/** Append a G1 point (32 bytes). */
export const writeG1 = (w: ByteWriter, P: G1): void => void w.bytes(g1ToBytes(P));
/** Append a G2 point (64 bytes). */
export const writeG2 = (w: ByteWriter, P: G2): void => void w.bytes(g2ToBytes(P));
/** Append a scalar (32 bytes, little-endian). */
export const writeFr = (w: ByteWriter, x: Fr): void => void w.bytes(frToBytes(x));

/** A canonical non-identity G1 point (on the curve; cofactor 1). @throws {InvalidEncodingError} */
export const readG1 = (r: ByteReader, field: string): G1 => g1Decode(r.bytes(G1_BYTES, field), field);
/** A canonical non-identity G2 point, with one subgroup check. @throws {InvalidEncodingError} */
export const readG2 = (r: ByteReader, field: string): G2 => g2Decode(r.bytes(G2_BYTES, field), field);
/**
 * A canonical non-identity G2 point on the twist; with `deferSubgroup`, its subgroup test is
 * left to the CCA check's exact comparison (SchemeCore.readCiphertext). @throws {InvalidEncodingError}
 */
export const readG2Row = (r: ByteReader, field: string, deferSubgroup: boolean): G2 =>
  deferSubgroup ? g2DecodeForExactCheck(r.bytes(G2_BYTES, field), field) : readG2(r, field);
/** A canonical non-zero scalar. @throws {InvalidEncodingError} */
export const readFr = (r: ByteReader, field: string): Fr => frFromBytes(r.bytes(FR_BYTES, field), field, true);

/** u32 length + UTF-8 label. */
export const writeLabel = (w: ByteWriter, label: string): void => void w.string(label);

/**
 * A non-empty, strictly UTF-8, bounded label.
 * @throws {InvalidEncodingError}
 * @example
 * ```ts
 * const w = new ByteWriter();
 * writeLabel(w, 'doctor');
 * readLabel(new ByteReader(w.finish(), 'key'), 'attribute'); // 'doctor'
 * ```
 */
export function readLabel(r: ByteReader, field: string): string {
  const s = r.string(field, MAX_LABEL_BYTES);
  if (s.length === 0) throw new InvalidEncodingError(`${field}: empty attribute label`);
  return s;
}

/** The number of key attributes, bounded. @throws {InvalidEncodingError} */
export const readAttributeCount = (r: ByteReader): number => r.count('attributes', MAX_KEY_ATTRIBUTES);

/** Check the row count the framework read from the ciphertext header. @throws {InvalidEncodingError} */
export function checkRowCount(nRows: number, what: string): void {
  if (!Number.isSafeInteger(nRows) || nRows < 1 || nRows > MAX_ROWS) {
    throw new InvalidEncodingError(`${what}: row count must be 1 to ${MAX_ROWS}, got ${String(nRows)}`);
  }
}

/** Reject a duplicate attribute label in a decoded key. @throws {InvalidEncodingError} */
export function checkUniqueLabel(seen: ReadonlyMap<string, unknown>, label: string, what: string): void {
  if (seen.has(label)) throw new InvalidEncodingError(`${what}: duplicate attribute label`);
}
