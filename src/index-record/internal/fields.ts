/**
 * Field validators shared by index records and ledger transactions. Each throws
 * `InvalidEncodingError` naming the field (`"ciphertext.digest" ...`). Internal.
 */
import { InvalidEncodingError } from '../../errors.js';
import { describe } from '../../internal/assert.js';
import { fromBase64url, isWellFormed } from '../../internal/bytes.js';

/** Reject a value with a message naming the field. */
export function bad(what: string, field: string, msg: string): never {
  throw new InvalidEncodingError(`${what}: "${field}" ${msg}`);
}

/** Require a plain object with exactly the allowed keys (and every required one). */
export function obj(
  v: unknown,
  what: string,
  field: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(what, field, `expected object, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) {
      bad(what, field === '' ? k : `${field}.${k}`, 'is not a known field');
    }
  }
  for (const k of required) {
    if (!Object.hasOwn(o, k)) bad(what, field === '' ? k : `${field}.${k}`, 'is missing');
  }
  return o;
}

// C0 controls, DEL and C1 controls are never allowed in identifiers or URIs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A non-empty, well-formed string without control characters, at most `max` UTF-16 units. */
export function text(v: unknown, what: string, field: string, max: number): string {
  if (typeof v !== 'string') bad(what, field, `expected string, got ${describe(v)}`);
  if (v.length === 0) bad(what, field, 'must not be empty');
  if (v.length > max) bad(what, field, `longer than ${max} characters`);
  if (!isWellFormed(v)) bad(what, field, 'contains a lone surrogate');
  if (CONTROL.test(v)) bad(what, field, 'contains a control character');
  return v;
}

/** base64url (no padding) of exactly `n` bytes; returns the decoded bytes. */
export function b64(v: unknown, what: string, field: string, n: number): Uint8Array {
  if (typeof v !== 'string') bad(what, field, `expected base64url string, got ${describe(v)}`);
  if (v.length !== Math.ceil((n * 4) / 3)) bad(what, field, `expected base64url of ${n} bytes`);
  try {
    return fromBase64url(v, field);
  } catch {
    return bad(what, field, `expected base64url of ${n} bytes`);
  }
}

/** A safe integer in [min, max]. */
export function int(v: unknown, what: string, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    bad(what, field, `expected an integer in [${min}, ${max}]`);
  }
  return v;
}

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * An RFC 3339 §5.6 date-time in UTC (`Z`, upper-case `T`), a real calendar date,
 * no leap second; returns milliseconds since the epoch.
 */
export function timestamp(v: unknown, what: string, field: string): number {
  if (typeof v !== 'string') bad(what, field, `expected an RFC 3339 UTC timestamp, got ${describe(v)}`);
  const m = RFC3339_UTC.exec(v);
  if (m === null) bad(what, field, 'expected an RFC 3339 UTC timestamp like 2026-11-24T20:00:00Z');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > dim || h > 23 || mi > 59 || s > 59) {
    bad(what, field, 'is not a valid date and time');
  }
  const frac = m[7];
  return Date.UTC(y, mo - 1, d, h, mi, s) + (frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000));
}

/** Canonical RFC 3339 UTC text of a time in milliseconds (`YYYY-MM-DDTHH:MM:SS[.sss]Z`). */
export function formatTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

// base64url of n bytes, canonical (unused trailing bits zero): 16 -> 22 chars, 32 -> 43, 64 -> 86.
const B64_RE: Record<number, RegExp> = {
  16: /^[A-Za-z0-9_-]{21}[AQgw]$/,
  32: /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/,
  64: /^[A-Za-z0-9_-]{85}[AQgw]$/, // 4 unused trailing bits
};

/** Like {@link b64} but only validates (no decoding); returns the text. */
export function b64text(v: unknown, what: string, field: string, n: 16 | 32 | 64): string {
  if (typeof v !== 'string') bad(what, field, `expected base64url string, got ${describe(v)}`);
  if (!B64_RE[n]!.test(v)) bad(what, field, `expected base64url of ${n} bytes`);
  return v;
}
