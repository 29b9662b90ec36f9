import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { parseJsonStrict } from '../src/internal/strict-json.js';
import { runs } from './helpers.js';

// Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit is slow to build).
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const reject = (text: string, opts = {}) => expect(() => parseJsonStrict(text, opts)).toThrow(InvalidEncodingError);

describe('parseJsonStrict', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonStrict(' {"a": [1, -2, true, false, null, "x\\n\\u00e9\\ud83d\\ude02"], "b": {}} ')).toEqual({
      a: [1, -2, true, false, null, 'x\né\u{1F602}'],
      b: {},
    });
    expect(parseJsonStrict('"\u{1F602}"')).toBe('\u{1F602}');
    expect(parseJsonStrict('1.5e3', { allowFloats: true })).toBe(1500);
    expect(Object.is(parseJsonStrict('-0'), 0)).toBe(true);
  });
  it('rejects duplicate member names', () => {
    reject('{"a":1,"a":2}');
    reject('{"a":1,"b":{"c":1,"c":1}}');
    reject('{"a":1,"\\u0061":2}');
    expect(() => parseJsonStrict('{"x":1,"x":2}')).toThrow(/duplicate member name "x" at offset 7/);
  });
  it('rejects lone surrogates, raw or escaped', () => {
    reject('"\\ud800"');
    reject('"\\udc00"');
    reject('"\\ud800\\u0041"');
    reject('"\\ud800x"');
    reject('"a\uD800"');
    reject('"a\uDC00b"');
    reject('{"\uD800":1}');
  });
  it('rejects numbers that are not safe integers by default', () => {
    reject('1.0');
    reject('1e2');
    reject('9007199254740992');
    reject('-9007199254740992');
    expect(parseJsonStrict('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    reject('1e400', { allowFloats: true });
    reject('01');
    reject('+1');
    reject('.5', { allowFloats: true });
    reject('1.', { allowFloats: true });
    reject('-', { allowFloats: true });
  });
  it('rejects syntax errors, trailing garbage, BOM, control characters, bad escapes', () => {
    for (const t of [
      '',
      ' ',
      '{',
      '[1,]',
      '{"a":1,}',
      '{a:1}',
      "{'a':1}",
      '[1 2]',
      '{"a" 1}',
      '1 2',
      '{} x',
      '\uFEFF{}',
      '"a\nb"',
      '"\\x"',
      '"\\u12"',
      '"\\u12G4"',
      '"abc',
      'tru',
      'nul',
      'NaN',
      'Infinity',
      '[1]\u00a0',
    ])
      reject(t);
  });
  it('survives 100k nesting with a typed error', () => {
    reject('['.repeat(100_000) + ']'.repeat(100_000));
    reject('{"a":'.repeat(100_000));
    expect(() => parseJsonStrict('[[[]]]', { maxDepth: 2 })).toThrow(/nesting deeper than 2/);
    expect(parseJsonStrict('[[[]]]', { maxDepth: 3 })).toEqual([[[]]]);
  });
  it('enforces maxLength and checks its options', () => {
    reject('[1,2,3]', { maxLength: 6 });
    expect(() => parseJsonStrict('1', { maxDepth: 1e6 })).toThrow(InvalidArgumentError);
    expect(() => parseJsonStrict(5 as unknown as string)).toThrow(InvalidArgumentError);
  });
  it('keeps __proto__ as an own property', () => {
    const v = parseJsonStrict('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('agrees with JSON.parse on valid JSON without duplicates', () => {
    fc.assert(
      fc.property(fc.json(), (t) => {
        expect(parseJsonStrict(t, { allowFloats: true })).toStrictEqual(JSON.parse(t));
      }),
      { numRuns: runs(300) },
    );
  });
  it('agrees with JSON.parse on integer-only JSON', () => {
    const arb = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.maxSafeInteger(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v')),
        fc.dictionary(fc.string(), tie('v')),
      ),
    })).v;
    fc.assert(
      fc.property(arb, (v) => {
        const t = JSON.stringify(v, null, 1);
        expect(parseJsonStrict(t)).toStrictEqual(JSON.parse(t));
      }),
      { numRuns: runs(300) },
    );
  });
  it('never throws anything but InvalidEncodingError on random text, and never accepts what JSON.parse rejects', () => {
    const alphabet = fc.constantFrom(...'{}[],:"\\ u0123456789abcdefEe.-+tnrl \n\t'.split(''), '\uD800', '\uDC00');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: utf16Unit, maxLength: 40 })),
        (t) => {
          let ok = true;
          try {
            parseJsonStrict(t, { allowFloats: true });
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidEncodingError);
            ok = false;
          }
          if (ok) expect(() => JSON.parse(t)).not.toThrow();
        },
      ),
      { numRuns: runs(300) },
    );
  });
  it('rejects mutated valid JSON unless it is still valid', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ minLength: 1, maxLength: 2 }), (t, i, ins) => {
        const at = i % (t.length + 1);
        const m = t.slice(0, at) + ins + t.slice(at);
        let mine: unknown;
        let err: unknown;
        try {
          mine = parseJsonStrict(m, { allowFloats: true });
        } catch (e) {
          err = e;
        }
        if (err !== undefined) expect(err).toBeInstanceOf(InvalidEncodingError);
        else expect(mine).toStrictEqual(JSON.parse(m));
      }),
      { numRuns: runs(500) },
    );
  });
});
