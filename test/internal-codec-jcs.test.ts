// ByteReader bounds and canonicalizeJson's errors, at their boundaries (issue 19: the mutation
// run of src/internal left the limits' off-by-one cases and the error texts untested). Errors name
// the encoding, the field and the limit (ByteReader) or the path (JCS): tests pin that.

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { ByteReader, ByteWriter } from '../src/internal/codec.js';
import { canonicalizeJson, JCS_MAX_DEPTH } from '../src/internal/jcs.js';

const msg = (f: () => unknown, cls: new (...a: never[]) => Error = InvalidEncodingError): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return (e as Error).message;
  }
  throw new Error('did not throw');
};

describe('ByteReader', () => {
  it('remaining counts down as fields are read', () => {
    const r = new ByteReader(new Uint8Array(10), 'thing');
    expect(r.remaining).toBe(10);
    r.bytes(3, 'a');
    expect(r.remaining).toBe(7);
    r.u32('b');
    expect(r.remaining).toBe(3);
  });

  it('bytes: exactly what is left is readable, one more is truncated, a negative count is refused', () => {
    const r = new ByteReader(Uint8Array.of(1, 2, 3), 'thing');
    expect(msg(() => r.bytes(4, 'f'))).toBe('thing: truncated while reading f');
    expect(msg(() => r.bytes(-1, 'f'))).toBe('thing: truncated while reading f');
    expect(r.bytes(0, 'f')).toEqual(new Uint8Array(0));
    expect(r.bytes(3, 'f')).toEqual(Uint8Array.of(1, 2, 3));
    r.end();
  });

  it('count: up to max accepted, max + 1 refused with the field and the limit named', () => {
    const enc = (n: number) => new ByteWriter().u32(n).finish();
    expect(new ByteReader(enc(5), 'thing').count('rows', 5)).toBe(5);
    expect(msg(() => new ByteReader(enc(6), 'thing').count('rows', 5))).toBe('thing: rows 6 exceeds the limit 5');
  });

  it('varBytes: a length up to max accepted, max + 1 refused; the default max is what remains', () => {
    const enc = (b: Uint8Array) => new ByteWriter().varBytes(b).finish();
    expect(new ByteReader(enc(new Uint8Array(4)), 'thing').varBytes('blob', 4)).toHaveLength(4);
    expect(msg(() => new ByteReader(enc(new Uint8Array(5)), 'thing').varBytes('blob', 4))).toBe(
      'thing: blob length 5 exceeds the limit 4',
    );
    // Default limit: the bytes left where the field starts, length field included (a 2^32-1 length is
    // refused by the limit, before any read).
    const huge = new ByteWriter().u32(0xffffffff).bytes(new Uint8Array(3)).finish();
    expect(msg(() => new ByteReader(huge, 'thing').varBytes('blob'))).toBe(
      'thing: blob length 4294967295 exceeds the limit 7',
    );
    const exact = new ByteWriter()
      .u32(3)
      .bytes(Uint8Array.of(7, 8, 9))
      .finish();
    expect(new ByteReader(exact, 'thing').varBytes('blob')).toEqual(Uint8Array.of(7, 8, 9));
  });

  it('string: strict UTF-8, errors name the encoding and the field', () => {
    const ok = new ByteWriter().string('héllo').finish();
    expect(new ByteReader(ok, 'thing').string('name')).toBe('héllo');
    const bad = new ByteWriter().varBytes(Uint8Array.of(0xc3)).finish();
    expect(msg(() => new ByteReader(bad, 'thing').string('name'))).toMatch(/^thing: name/);
    expect(msg(() => new ByteReader(ok, 'thing').string('name', 5))).toBe('thing: name length 6 exceeds the limit 5');
  });

  it('end: trailing bytes are counted in the error', () => {
    const r = new ByteReader(new Uint8Array(5), 'thing');
    r.bytes(2, 'a');
    expect(msg(() => r.end())).toBe('thing: 3 trailing bytes');
  });
});

describe('canonicalizeJson errors name the problem and where', () => {
  it('lone surrogates, at the root and in a member', () => {
    expect(msg(() => canonicalizeJson('a\uD800'))).toBe('JCS: lone surrogate in a string at (root)');
    expect(msg(() => canonicalizeJson({ k: ['\uDC00'] }))).toBe('JCS: lone surrogate in a string at k');
  });

  it('non-finite numbers', () => {
    expect(msg(() => canonicalizeJson({ n: Number.NaN }), InvalidArgumentError)).toBe(
      'JCS: NaN is not a JSON number at n',
    );
    expect(msg(() => canonicalizeJson(Number.NEGATIVE_INFINITY), InvalidArgumentError)).toBe(
      'JCS: -Infinity is not a JSON number at (root)',
    );
  });

  it('depth: JCS_MAX_DEPTH nested arrays accepted, one more refused', () => {
    const nest = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown;
    expect(canonicalizeJson(nest(JCS_MAX_DEPTH))).toBe(`${'['.repeat(JCS_MAX_DEPTH)}${']'.repeat(JCS_MAX_DEPTH)}`);
    expect(msg(() => canonicalizeJson(nest(JCS_MAX_DEPTH + 1)), InvalidArgumentError)).toBe(
      `JCS: value is cyclic or nested deeper than ${JCS_MAX_DEPTH} levels`,
    );
  });

  it('sparse arrays, class instances and non-JSON types', () => {
    // biome-ignore lint/suspicious/noSparseArray: the case under test
    expect(msg(() => canonicalizeJson({ a: [1, , 3] }), InvalidArgumentError)).toBe('JCS: sparse array at a');
    expect(msg(() => canonicalizeJson({ d: new Date(0) }), InvalidArgumentError)).toMatch(
      /^JCS: expected plain object or array at d, got /,
    );
    expect(msg(() => canonicalizeJson({ u: undefined }), InvalidArgumentError)).toBe(
      'JCS: undefined is not JSON data at u',
    );
    expect(msg(() => canonicalizeJson(1n), InvalidArgumentError)).toBe('JCS: bigint is not JSON data at (root)');
  });
});
