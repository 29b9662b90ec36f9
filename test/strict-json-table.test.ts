// parseJsonStrict, case by case (issue 19: the mutation run of src/internal found escapes, surrogate
// boundaries, hex digits, whitespace, the option checks and the error offsets untested). Every
// error is an InvalidEncodingError naming what went wrong and the offset (the module's contract);
// the expected texts and offsets below are worked out by hand from the input.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { parseJsonStrict } from '../src/internal/strict-json.js';
import { runs } from './helpers.js';

function error(text: string, opts = {}): string {
  try {
    parseJsonStrict(text, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidEncodingError);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe('accepted texts and their values', () => {
  const ok: [string, unknown][] = [
    [' \t\n\r1 \t\n\r', 1],
    ['[ ]', []],
    ['{ }', {}],
    ['[ 1 , 2 ]', [1, 2]],
    ['{ "a" : 1 , "b" : [ ] }', { a: 1, b: [] }],
    ['"\\/\\b\\f\\n\\r\\t\\"\\\\"', '/\b\f\n\r\t"\\'],
    ['"\\u0030\\u0039\\u0061\\u0066\\u0041\\u0046"', '09afAF'],
    ['"\\u004a\\u004A\\u00e9\\u00E9"', 'JJéé'],
    ['"\\uD83D\\uDE00\\ud83d\\ude00"', '😀😀'],
    ['"\\uD800\\uDC00\\uDBFF\\uDFFF"', '\ud800\udc00\udbff\udfff'],
    ['"\\uD7FF\\uE000\\uFFFF"', '\ud7ff\ue000\uffff'],
    ['"\ud800\udc00\udbff\udfff😀"', '\ud800\udc00\udbff\udfff😀'],
    ['" ~\u007f\ud7ff\ue000"', ' ~\u007f\ud7ff\ue000'],
    ['-0', 0],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['[true,false,null]', [true, false, null]],
  ];
  for (const [text, value] of ok) {
    it(JSON.stringify(text), () => {
      expect(parseJsonStrict(text)).toEqual(value);
    });
  }

  it('floats only with allowFloats, and then finite ones', () => {
    expect(parseJsonStrict('[1.5,-2e3,0.25E+1]', { allowFloats: true })).toEqual([1.5, -2000, 2.5]);
    expect(error('1e400', { allowFloats: true })).toBe('JSON: number out of range at offset 0');
    expect(error('[1, -1e999]', { allowFloats: true })).toBe('JSON: number out of range at offset 4');
  });

  it('__proto__ is an ordinary own, enumerable, writable, configurable member', () => {
    const v = parseJsonStrict('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')).toEqual({
      value: { polluted: 1 },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('any string, with every character escaped in every allowed way, parses back (member names too)', () => {
    // Escape each character at random: raw, \uXXXX in lower or upper case, or its short escape. A
    // character outside the BMP is escaped as its surrogate pair, both halves alike.
    const short: Record<string, string> = {
      '"': '\\"',
      '\\': '\\\\',
      '/': '\\/',
      '\b': '\\b',
      '\f': '\\f',
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
    };
    const u4 = (ch: string, i: number) => ch.charCodeAt(i).toString(16).padStart(4, '0');
    const escapeJson = (s: string, picks: number[]) =>
      `"${[...s]
        .map((ch, i) => {
          const pick = picks[i % picks.length] ?? 0;
          const hex = ch.length === 2 ? [u4(ch, 0), u4(ch, 1)] : [u4(ch, 0)];
          if (pick === 1) return hex.map((h) => `\\u${h}`).join('');
          if (pick === 2) return hex.map((h) => `\\u${h.toUpperCase()}`).join('');
          if (pick === 3 && short[ch] !== undefined) return short[ch];
          // Raw: only what JSON allows unescaped.
          if (ch === '"' || ch === '\\' || ch.charCodeAt(0) < 0x20) return `\\u${hex[0]}`;
          return ch;
        })
        .join('')}"`;
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.string({
          unit: fc.constantFrom('"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', 'a'),
          maxLength: 10,
        }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
        (a, b, picks) => {
          const s = a + b;
          expect(parseJsonStrict(escapeJson(s, picks))).toBe(s);
          expect(parseJsonStrict(`{${escapeJson(s, picks)}:[${escapeJson(s, picks)}]}`)).toEqual({ [s]: [s] });
        },
      ),
      { numRuns: runs(200) },
    );
  });
});

describe('refused texts: the message names the problem and its offset', () => {
  const bad: [string, string][] = [
    ['', 'unexpected end of text at offset 0'],
    ['[', 'unexpected end of text at offset 1'],
    ['x', 'unexpected character at offset 0'],
    ['/', 'unexpected character at offset 0'],
    [':', 'unexpected character at offset 0'],
    ['+1', 'unexpected character at offset 0'],
    ['tru', 'invalid literal at offset 0'],
    ['[nul]', 'invalid literal at offset 1'],
    ['-', 'invalid number at offset 0'],
    ['[0, -x]', 'invalid number at offset 4'],
    ['1.5', 'expected a safe integer (no fraction or exponent) at offset 0'],
    ['[1, 2e3]', 'expected a safe integer (no fraction or exponent) at offset 4'],
    ['9007199254740992', 'integer outside the safe range ±(2^53-1) at offset 0'],
    ['[1, -9007199254740992]', 'integer outside the safe range ±(2^53-1) at offset 4'],
    ['[1 2]', "expected ',' or ']' at offset 3"],
    ['[1,2', "expected ',' or ']' at offset 4"],
    ['{1:2}', 'expected a member name at offset 1'],
    ['{"a",1}', "expected ':' at offset 4"],
    ['{"a":1 "b":2}', "expected ',' or '}' at offset 7"],
    ['{"a":1', "expected ',' or '}' at offset 6"],
    ['{"a":1,"a":2}', 'duplicate member name "a" at offset 7'],
    ['1 x', 'trailing characters after the JSON value at offset 2'],
    ['"abc', 'unterminated string at offset 0'],
    ['["ab', 'unterminated string at offset 1'],
    ['"a\u0001"', 'unescaped control character in string at offset 2'],
    ['"a\u001f"', 'unescaped control character in string at offset 2'],
    ['"\\x"', 'invalid escape at offset 1'],
    ['"ab\\u00G0"', 'invalid \\u escape at offset 3'],
    ['"\\u00g0"', 'invalid \\u escape at offset 1'],
    ['"\\u00@0"', 'invalid \\u escape at offset 1'],
    ['"\\u00`0"', 'invalid \\u escape at offset 1'],
    ['"\\u00/0"', 'invalid \\u escape at offset 1'],
    ['"\\u00:0"', 'invalid \\u escape at offset 1'],
    ['"\\u00"', 'invalid \\u escape at offset 1'],
    ['"\\uD83D"', 'lone surrogate escape at offset 1'],
    ['"x\\uD83Dx"', 'lone surrogate escape at offset 2'],
    ['"\\uD83D\\n"', 'lone surrogate escape at offset 1'],
    ['"\\uD83D\\u0041"', 'lone surrogate escape at offset 1'],
    ['"\\uD83D\\uDBFF"', 'lone surrogate escape at offset 1'],
    ['"\\uD83D\\uE000"', 'lone surrogate escape at offset 1'],
    ['"\\uD800\\uD800"', 'lone surrogate escape at offset 1'],
    ['"\\uDC00"', 'lone surrogate escape at offset 1'],
    ['"\\uDFFF"', 'lone surrogate escape at offset 1'],
    ['"\\uD83D\\uDE0"', 'invalid \\u escape at offset 7'],
    ['"a\ud83d"', 'lone surrogate in string at offset 2'],
    ['"a\ud83dx"', 'lone surrogate in string at offset 2'],
    ['"a\ud83d\ud83d"', 'lone surrogate in string at offset 2'],
    ['"a\udbff\ue000"', 'lone surrogate in string at offset 2'],
    ['"a\ude00"', 'lone surrogate in string at offset 2'],
    ['"a\udc00\udc00"', 'lone surrogate in string at offset 2'],
    ['"a\udfff"', 'lone surrogate in string at offset 2'],
    ['"a\ud800', 'lone surrogate in string at offset 2'],
    ['\ufeff1', 'byte-order mark at offset 0'],
  ];
  for (const [text, message] of bad) {
    it(JSON.stringify(text), () => {
      expect(error(text)).toBe(`JSON: ${message}`);
    });
  }

  it('a duplicate member name is quoted, cut to its first 64 characters', () => {
    const long = 'k'.repeat(70);
    expect(error(`{"${long}":1,"${long}":2}`)).toBe(`JSON: duplicate member name "${'k'.repeat(64)}" at offset 76`);
  });

  it('maxDepth counts arrays and objects; at the limit is accepted', () => {
    expect(parseJsonStrict('[[1]]', { maxDepth: 2 })).toEqual([[1]]);
    expect(error('[[1]]', { maxDepth: 1 })).toBe('JSON: nesting deeper than 1 at offset 1');
    expect(parseJsonStrict('{"a":{}}', { maxDepth: 2 })).toEqual({ a: {} });
    expect(error('{"a":{}}', { maxDepth: 1 })).toBe('JSON: nesting deeper than 1 at offset 5');
    expect(error('[{}]', { maxDepth: 1 })).toBe('JSON: nesting deeper than 1 at offset 1');
    expect(parseJsonStrict('1', { maxDepth: 0 })).toBe(1);
    expect(error('[]', { maxDepth: 0 })).toBe('JSON: nesting deeper than 0 at offset 0');
    expect(parseJsonStrict(`${'['.repeat(256)}${']'.repeat(256)}`)).toBeInstanceOf(Array);
    expect(error(`${'['.repeat(257)}${']'.repeat(257)}`)).toBe('JSON: nesting deeper than 256 at offset 256');
  });

  it('maxLength: at the limit is accepted, one more is refused', () => {
    expect(parseJsonStrict('[1]', { maxLength: 3 })).toEqual([1]);
    expect(error('[1] ', { maxLength: 3 })).toBe('JSON: text longer than 3 characters');
  });

  it('bad arguments are InvalidArgumentErrors naming the argument', () => {
    expect(() => parseJsonStrict(1 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => parseJsonStrict(1 as unknown as string)).toThrow(/text/);
    expect(() => parseJsonStrict('1', { maxLength: -1 })).toThrow(/maxLength/);
    expect(() => parseJsonStrict('1', { maxLength: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => parseJsonStrict('1', { maxDepth: 2049 })).toThrow(/maxDepth/);
    expect(() => parseJsonStrict('1', { maxDepth: -1 })).toThrow(InvalidArgumentError);
    expect(parseJsonStrict('1', { maxDepth: 2048 })).toBe(1);
  });
});
