import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { isWellFormed } from '../src/internal/bytes.js';
import { canonicalBytes, canonicalizeJson } from '../src/internal/jcs.js';
import { parseJsonStrict } from '../src/internal/strict-json.js';
import { runs } from './helpers.js';

// Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit is slow to build).
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const vectorsDir = fileURLToPath(new URL('../../shared/vectors/jcs/', import.meta.url));
const haveVectors = existsSync(`${vectorsDir}input`);

describe.skipIf(!haveVectors)('RFC 8785 conformance vectors (../shared/vectors/jcs)', () => {
  const names = haveVectors ? readdirSync(`${vectorsDir}input`).filter((n) => n.endsWith('.json')) : [];
  it('has vectors', () => {
    expect(names.length).toBeGreaterThan(0);
  });
  for (const name of names) {
    it(name, () => {
      const input = readFileSync(`${vectorsDir}input/${name}`, 'utf8');
      const expected = new Uint8Array(readFileSync(`${vectorsDir}output/${name}`));
      const hex = readFileSync(`${vectorsDir}outhex/${name.replace(/\.json$/, '.txt')}`, 'utf8')
        .trim()
        .split(/\s+/)
        .map((h) => Number.parseInt(h, 16));
      expect(Array.from(expected)).toEqual(hex);
      const value = parseJsonStrict(input, { allowFloats: true });
      expect(canonicalBytes(value)).toEqual(expected);
    });
  }
});
if (!haveVectors) {
  it.skip(`JCS vectors not found at ${vectorsDir}: conformance test skipped`, () => {});
}

describe('canonicalizeJson', () => {
  it('sorts keys by UTF-16 code units and emits no whitespace', () => {
    expect(canonicalizeJson({ b: 1, a: [true, null, 'x'], '\u{1F602}': 0, '\uFB33': 1 })).toBe(
      '{"a":[true,null,"x"],"b":1,"\u{1F602}":0,"\uFB33":1}',
    );
  });
  it('serializes numbers per ECMAScript', () => {
    expect(canonicalizeJson([-0, 1e21, 1e-7, 0.1, 5e-324, 123456789012345680000])).toBe(
      '[0,1e+21,1e-7,0.1,5e-324,123456789012345680000]',
    );
  });
  it('escapes strings as JSON.stringify does', () => {
    expect(canonicalizeJson('\u0000\u001f"\\/\u007f\u2028')).toBe('"\\u0000\\u001f\\"\\\\/\u007f\u2028"');
  });
  it('rejects lone surrogates in values and keys with InvalidEncodingError', () => {
    expect(() => canonicalizeJson('a\uD800')).toThrow(InvalidEncodingError);
    expect(() => canonicalizeJson({ '\uDC00': 1 })).toThrow(InvalidEncodingError);
    expect(() => canonicalizeJson(['\uDBFF\uDBFF'])).toThrow(InvalidEncodingError);
  });
  it('rejects non-JSON values with InvalidArgumentError', () => {
    const bad: unknown[] = [
      undefined,
      () => 1,
      Symbol('x'),
      10n,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Date(0),
      new Map(),
      new Uint8Array(1),
      { a: undefined },
      Array(3),
      { toJSON: () => 1, x: () => 2 },
    ];
    for (const v of bad) expect(() => canonicalizeJson(v)).toThrow(InvalidArgumentError);
  });
  it('rejects cyclic and too-deep values', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(() => canonicalizeJson(a)).toThrow(InvalidArgumentError);
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(() => canonicalizeJson(o)).toThrow(InvalidArgumentError);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalizeJson(deep)).toThrow(InvalidArgumentError);
  });
  it('accepts null-prototype objects', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.b = 1;
    o.a = 2;
    expect(canonicalizeJson(o)).toBe('{"a":2,"b":1}');
  });
  it('matches the canonicalize package on random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalizeJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: runs(300) },
    );
  });
  it('matches canonicalize on random UTF-16 strings (both reject lone surrogates)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: utf16Unit, maxLength: 16 }), {
          maxKeys: 6,
        }),
        (v) => {
          if (Object.values(v).every(isWellFormed)) expect(canonicalizeJson(v)).toBe(canonicalize(v));
          else {
            expect(() => canonicalizeJson(v)).toThrow(InvalidEncodingError);
            expect(() => canonicalize(v)).toThrow();
          }
        },
      ),
      { numRuns: runs(200) },
    );
  });
  it('is idempotent and independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicalizeJson(v);
        expect(canonicalizeJson(parseJsonStrict(c, { allowFloats: true }))).toBe(c);
        expect(canonicalizeJson(JSON.parse(JSON.stringify(shuffleKeys(v))))).toBe(c);
      }),
      { numRuns: runs(200) },
    );
  });
});

function shuffleKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shuffleKeys);
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).reverse();
    const out: Record<string, unknown> = {};
    for (const [k, x] of entries)
      Object.defineProperty(out, k, { value: shuffleKeys(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}
