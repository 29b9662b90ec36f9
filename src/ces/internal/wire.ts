/**
 * Shared pieces of the versioned binary and JSON encodings of bpds/ces. Internal.
 *
 * Binary: `0xCE || type (0x01 signed record, 0x02 presentation) || version (1) || ...`.
 * JSON: `{ "typ": "bpds-ces-signed" | "bpds-ces-presentation", "v": 1, "data": base64url(binary) }`.
 */
import { InvalidEncodingError } from '../../errors.js';
import { assertBytes } from '../../internal/assert.js';
import { fromUtf8 } from '../../internal/bytes.js';
import { ByteReader } from '../../internal/codec.js';
import { fromJsonForm, type JsonForm, toJsonForm } from '../../internal/json-form.js';
import { parseJsonStrict } from '../../internal/strict-json.js';
import type { JsonValue } from '../types.js';
import { isClaimsPath, MAX_DEPTH } from './path.js';

export const MAGIC = 0xce;
export const TYPE_SIGNED = 0x01;
export const TYPE_PRESENTATION = 0x02;
/** A holder's SD-JWT (`sd-jwt` scheme): `varBytes(issued compact) || units`. */
export const TYPE_SD_SIGNED = 0x03;
/** An SD-JWT presentation: `varBytes(compact SD-JWT[+KB])`. */
export const TYPE_SD_PRESENTATION = 0x04;
export const WIRE_VERSION = 1;
/** Largest encoded signed record or presentation accepted (64 MiB). */
export const MAX_WIRE_BYTES = 64 * 1024 * 1024;
export const MAX_PART_BYTES = 1 << 20;
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** The JSON form of an encoding: the one JSON form of bpds objects, `{ typ, v: 1, data }`. */
export type WireJson = JsonForm;

/** Open a binary encoding: check magic, type and version. */
export function openWire(bytes: unknown, type: number, what: string): ByteReader {
  assertBytes(bytes, 'bytes');
  if (bytes.length > MAX_WIRE_BYTES) throw new InvalidEncodingError(`${what}: larger than ${MAX_WIRE_BYTES} bytes`);
  const r = new ByteReader(bytes, what);
  if (r.u8('magic') !== MAGIC || r.u8('type') !== type) throw new InvalidEncodingError(`${what}: not a ${what}`);
  if (r.u8('version') !== WIRE_VERSION) throw new InvalidEncodingError(`${what}: unknown version`);
  return r;
}

export function toWireJson(typ: string, bytes: Uint8Array): WireJson {
  return toJsonForm(typ, bytes);
}

/** Accept the JSON object or its text; returns the binary payload (the shared JSON form of internal/json-form.ts). */
export function fromWireJson(json: unknown, typ: string, what: string): Uint8Array {
  return fromJsonForm(json, typ, what);
}

/** Parse the canonical bytes of `[path, value]` from a presentation entry. */
export function parseEntry(bytes: Uint8Array, what: string): { path: (string | number)[]; value: JsonValue } {
  const v = parseJsonStrict(fromUtf8(bytes, what), {
    allowFloats: true,
    maxDepth: MAX_DEPTH + 2,
    maxLength: MAX_ENTRY_BYTES,
  });
  if (!Array.isArray(v) || v.length !== 2 || !isClaimsPath(v[0])) {
    throw new InvalidEncodingError(`${what}: expected [path, value]`);
  }
  return { path: v[0], value: v[1] as JsonValue };
}

/** Parse a canonical JSON claims path or pattern. */
export function parseJsonPath(bytes: Uint8Array, what: string, wildcard: boolean): (string | number | null)[] {
  const v = parseJsonStrict(fromUtf8(bytes, what), { maxDepth: 2 });
  if (!Array.isArray(v) || !isClaimsPath(wildcard ? v.map((s) => (s === null ? 0 : s)) : v)) {
    throw new InvalidEncodingError(`${what}: expected a claims path`);
  }
  return v as (string | number | null)[];
}
