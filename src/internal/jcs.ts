/**
 * JSON Canonicalization Scheme: RFC 8785 (A. Rundgren, B. Jordan, S. Erdtman, 2020).
 *
 * A small implementation of our own, with no runtime dependency, chosen over the
 * `canonicalize` package because bpds needs stricter input rules than JCS itself
 * (which serializes whatever `JSON.stringify` would): we reject lone surrogates
 * (RFC 8785 §3.2.2.2 requires valid Unicode), non-finite numbers (§3.2.2.3),
 * `undefined`, functions, symbols, bigints, sparse arrays and class instances
 * (only plain objects and arrays are JSON data), and cycles or excessive nesting,
 * each with a typed error. `toJSON` is never called: data is data.
 *
 * - Strings (§3.2.2.2) are serialized exactly as ECMAScript `JSON.stringify` does.
 * - Numbers (§3.2.2.3) use the ECMAScript Number-to-String algorithm; `-0` becomes `0`.
 * - Object members (§3.2.3) are sorted by their names as arrays of UTF-16 code units.
 * - No whitespace is emitted. The UTF-8 encoding of the result is the canonical form.
 *
 * Internal: shared by `index-record`, `chain` and `ces`.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { describe } from './assert.js';
import { isWellFormed, utf8 } from './bytes.js';

/** Deepest nesting of arrays/objects accepted (also what stops cyclic values). */
export const JCS_MAX_DEPTH = 512;

type NativeWellFormed = (this: string) => boolean;
const nativeWellFormed = (String.prototype as { isWellFormed?: NativeWellFormed }).isWellFormed;
const wellFormed: (s: string) => boolean =
  nativeWellFormed === undefined ? isWellFormed : (s) => nativeWellFormed.call(s);

function str(s: string, path: string): string {
  if (!wellFormed(s)) throw new InvalidEncodingError(`JCS: lone surrogate in a string at ${path}`);
  return JSON.stringify(s);
}

function num(n: number, path: string): string {
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`JCS: ${String(n)} is not a JSON number at ${path}`);
  // ES Number::toString; String(-0) is already "0".
  return String(n);
}

function serialize(v: unknown, depth: number, path: string): string {
  switch (typeof v) {
    case 'string':
      return str(v, path);
    case 'number':
      return num(v, path);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (depth >= JCS_MAX_DEPTH) {
        throw new InvalidArgumentError(`JCS: value is cyclic or nested deeper than ${JCS_MAX_DEPTH} levels`);
      }
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          if (!(i in v)) throw new InvalidArgumentError(`JCS: sparse array at ${path}`);
          out += serialize(v[i], depth + 1, path);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new InvalidArgumentError(`JCS: expected plain object or array at ${path}, got ${describe(v)}`);
      }
      const o = v as Record<string, unknown>;
      // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
      const keys = Object.keys(o).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        if (i > 0) out += ',';
        out += str(k, path);
        out += ':';
        out += serialize(o[k], depth + 1, k);
      }
      return `${out}}`;
    }
    default:
      throw new InvalidArgumentError(`JCS: ${typeof v} is not JSON data at ${path}`);
  }
}

/**
 * Canonical JSON text of `value` per RFC 8785.
 *
 * @throws InvalidEncodingError when a string or member name holds a lone surrogate.
 * @throws InvalidArgumentError for non-JSON values (undefined, functions, symbols,
 *   bigints, NaN/Infinity, sparse arrays, class instances) and cyclic or too-deep values.
 */
export function canonicalizeJson(value: unknown): string {
  return serialize(value, 0, '(root)');
}

/** UTF-8 bytes of {@link canonicalizeJson}: the exact input of every JCS-based hash. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalizeJson(value));
}
