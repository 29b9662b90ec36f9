import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, PolicySyntaxError } from '../src/errors.js';
import {
  formatPolicy,
  type Policy,
  parsePolicy,
  policyDigest,
  policyLeaves,
  satisfies,
  toMonotone,
} from '../src/policy/index.js';
import { runs } from './helpers.js';
import { keyArb, keyStrings, policyArb, refEval } from './policy/arbitraries.js';

function syntaxError(text: string, options?: Parameters<typeof parsePolicy>[1]): PolicySyntaxError {
  try {
    parsePolicy(text, options);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicySyntaxError);
    return e as PolicySyntaxError;
  }
  throw new Error(`expected a PolicySyntaxError for ${JSON.stringify(text.slice(0, 80))}`);
}

/** A random but valid non-canonical spelling of a policy. */
function spell(n: Policy, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const name = (s: string) =>
    /^[A-Za-z0-9_\-.:/]+$/.test(s) && !/^(and|or|not|of|[0-9]+)$/i.test(s)
      ? s
      : `"${[...s].map((c) => (c === '"' || c === '\\' ? `\\${c}` : rnd() < 0.2 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"`;
  const ws = () => pick(['', ' ', '  ', '\n', '\t']);
  const paren = (s: string) => (rnd() < 0.2 ? `(${ws()}${s}${ws()})` : s);
  switch (n.kind) {
    case 'attr':
      return paren(name(n.name));
    case 'cmp': {
      const width = n.bits === 32 && rnd() < 0.5 ? '' : `#u${n.bits}`;
      const value = rnd() < 0.2 ? `00${n.value}` : `${n.value}`;
      return paren(`${name(n.name)}${width}${ws()}${n.op}${ws()}${value}`);
    }
    case 'not':
      return `${pick(['not', 'NOT', 'Not'])} ${n.child.kind === 'attr' && rnd() < 0.5 ? name(n.child.name) : `(${spell(n.child, rnd)})`}`;
    case 'and':
    case 'or': {
      const ops =
        n.kind === 'and' ? [' and ', ' AND ', '&&', ' && ', '\nand\n'] : [' or ', ' OR ', '||', ' || ', ' Or '];
      return `(${n.children.map((c) => `(${spell(c, rnd)})`).join(pick(ops))})`;
    }
    case 'threshold':
      return `${n.k}${pick([' ', '  '])}${pick(['of', 'OF'])}${ws()}(${n.children.map((c) => spell(c, rnd)).join(`${ws()},${ws()}`)})`;
  }
}

describe('parsePolicy / formatPolicy', () => {
  it('parses the operators, precedence and attribute forms', () => {
    const p = parsePolicy('a or b and not c');
    expect(p).toEqual({
      kind: 'or',
      children: [
        { kind: 'attr', name: 'a' },
        {
          kind: 'and',
          children: [
            { kind: 'attr', name: 'b' },
            { kind: 'not', child: { kind: 'attr', name: 'c' } },
          ],
        },
      ],
    });
    expect(Object.isFrozen(p)).toBe(true);
    expect(parsePolicy('2 of (a, b, c)')).toEqual({
      kind: 'threshold',
      k: 2,
      children: [
        { kind: 'attr', name: 'a' },
        { kind: 'attr', name: 'b' },
        { kind: 'attr', name: 'c' },
      ],
    });
    expect(parsePolicy('level#u8 < 5')).toEqual({ kind: 'cmp', name: 'level', op: '<', value: 5n, bits: 8 });
    expect(parsePolicy('age>=18', { bits: 7 })).toEqual({ kind: 'cmp', name: 'age', op: '>=', value: 18n, bits: 7 });
    expect(parsePolicy('"Dr. Smith"')).toEqual({ kind: 'attr', name: 'Dr. Smith' });
    expect(parsePolicy('"say \\"hi\\" \\\\ \\u00e9"')).toEqual({ kind: 'attr', name: 'say "hi" \\ é' });
    expect(parsePolicy('hospital.42 && dept:cardiology || role/doctor').kind).toBe('or');
  });

  it('gives canonical text', () => {
    const cases: [string, string][] = [
      ['(role/nurse  OR role/doctor) && dept:er || age > 17', 'age >= 18 or (dept:er and (role/doctor or role/nurse))'],
      ['b and (c and a) and b', 'a and b and c'],
      ['a or (b or (c or a))', 'a or b or c'],
      ['1 of (x, y)', 'x or y'],
      ['2 of (x, y)', 'x and y'],
      ['2 of (z, y, x)', '2 of (x, y, z)'],
      ['2 of (a, a)', 'a'],
      ['not not a', 'a'],
      ['not (a and b)', 'not (a and b)'],
      ['not age > 3', 'not (age >= 4)'],
      ['level#u8 < 5', 'level#u8 <= 4'],
      ['level#u8 <= 255', 'level#u8 >= 0'],
      ['level#u8 >= 255', 'level#u8 = 255'],
      ['level#u8 < 1', 'level#u8 = 0'],
      ['year = 02024', 'year = 2024'],
      ['"and" or "42" or "x y" or plain', '"42" or "and" or "x y" or plain'],
      ['"Dr. Smith" or /Patient/name', '"Dr. Smith" or /Patient/name'],
      ['"a\\u0062c"', 'abc'],
      ['x#u8[3]=1 and "q r"#u2[0]=0', '"q r"#u2[0]=0 and x#u8[3]=1'],
    ];
    for (const [text, canon] of cases) {
      expect(formatPolicy(parsePolicy(text)), text).toBe(canon);
      expect(formatPolicy(parsePolicy(canon)), canon).toBe(canon);
    }
    expect(formatPolicy(parsePolicy('age > 17', { bits: 8 }))).toBe('age#u8 >= 18');
  });

  it('formatPolicy is a fixed point and preserves meaning (fast-check)', () => {
    fc.assert(
      fc.property(policyArb(), fc.array(keyArb, { minLength: 3, maxLength: 3 }), (ast, keys) => {
        const text = formatPolicy(ast);
        const p = parsePolicy(text, { maxLeaves: 4096, maxDepth: 512 });
        expect(formatPolicy(p)).toBe(text);
        expect(formatPolicy(parsePolicy(formatPolicy(p), { maxLeaves: 4096, maxDepth: 512 }))).toBe(text);
        expect(policyDigest(p)).toEqual(policyDigest(ast));
        for (const k of keys) {
          const want = refEval(ast, k);
          expect(satisfies(p, keyStrings(k))).toBe(want);
        }
      }),
      { numRuns: runs(200) },
    );
  });

  it('any valid spelling parses to the same canonical text (fast-check)', () => {
    fc.assert(
      fc.property(policyArb(), fc.integer(), (ast, seed) => {
        let s = seed >>> 0 || 1;
        const rnd = () => {
          s ^= s << 13;
          s >>>= 0;
          s ^= s >>> 17;
          s ^= s << 5;
          s >>>= 0;
          return s / 2 ** 32;
        };
        const text = spell(ast, rnd);
        const p = parsePolicy(text, { maxLeaves: 4096, maxDepth: 512 });
        expect(formatPolicy(p)).toBe(formatPolicy(ast));
      }),
      { numRuns: runs(200) },
    );
  });

  it('monotone forms are canonical and keep the leaf order through formatting', () => {
    fc.assert(
      fc.property(policyArb({ not: false }), (ast) => {
        const m = toMonotone(ast);
        expect(formatPolicy(m)).toBe(formatPolicy(parsePolicy(formatPolicy(m), { maxLeaves: 4096, maxDepth: 512 })));
        const again = parsePolicy(formatPolicy(ast), { maxLeaves: 4096, maxDepth: 512 });
        expect(policyLeaves(again)).toEqual(policyLeaves(ast));
        expect(policyLeaves(m)).toEqual(policyLeaves(ast));
      }),
      { numRuns: runs(200) },
    );
  });

  it('policyDigest: 32 bytes, same for equivalent spellings, different otherwise', () => {
    const d = policyDigest(parsePolicy('a and b'));
    expect(d).toBeInstanceOf(Uint8Array);
    expect(d.length).toBe(32);
    expect(policyDigest(parsePolicy('b && a'))).toEqual(d);
    expect(policyDigest(parsePolicy('a or b'))).not.toEqual(d);
    expect(policyDigest(parsePolicy('age > 1'))).toEqual(policyDigest(parsePolicy('age >= 2')));
    expect(policyDigest(parsePolicy('age#u8 >= 2'))).not.toEqual(policyDigest(parsePolicy('age >= 2')));
  });
});

describe('syntax errors', () => {
  it('report the reason and the 1-based column', () => {
    const cases: [string, string, number][] = [
      ['', "unexpected end of policy: expected an attribute, '(', 'not' or a threshold", 1],
      ['   ', "unexpected end of policy: expected an attribute, '(', 'not' or a threshold", 4],
      ['a and', "unexpected end of policy: expected an attribute, '(', 'not' or a threshold", 6],
      ['dept:er and (role:a', "expected ')'", 20],
      ['a and (b or c', "expected ')'", 14],
      ['a b', "expected 'and', 'or' or end of policy", 3],
      ['a)', "unexpected ')'", 2],
      ['(a))', "unexpected ')'", 4],
      ['a & b', "expected '&&'", 3],
      ['a | b', "expected '||'", 3],
      ['a and %', "unexpected character '%'", 7],
      ['a and é', "unexpected character 'é'", 7],
      ['a \u0000', 'unexpected character U+0000', 3],
      ['a\u00a0and b', 'unexpected character U+00A0', 2],
      ['\ufeffa', 'unexpected character U+FEFF', 1],
      ['a or 😀', "unexpected character '😀'", 6],
      ['"abc', 'unterminated string', 1],
      ['x or "a\\qb"', 'invalid escape: expected \\", \\\\ or \\uXXXX', 8],
      ['x or "a\\u12"', 'invalid escape: expected \\", \\\\ or \\uXXXX', 8],
      ['""', 'attribute name is empty', 1],
      ['a or "x#y"', "attribute names cannot contain '#' (reserved for numeric bit attributes)", 6],
      ['a or "x\\u0023y"', "attribute names cannot contain '#' (reserved for numeric bit attributes)", 6],
      ['"\\ud800"', 'attribute name contains a lone surrogate', 1],
      ['"a\tb"', 'control character U+0009 in string', 3],
      ['2 of a, b', "expected '(' after 'of'", 6],
      ['2 of (a, b', "expected ',' or ')'", 11],
      ['3 of (a, b)', 'threshold must be between 1 and the number of operands (2)', 1],
      ['0 of (a, b)', 'threshold must be between 1 and the number of operands (2)', 1],
      ['99999999 of (a)', 'threshold must be between 1 and the number of operands (1)', 1],
      ['age >= x', 'expected a non-negative integer', 8],
      ['age >= -1', 'expected a non-negative integer', 8],
      ['age >=', 'expected a non-negative integer', 7],
      ['age >= "1"', 'expected a non-negative integer', 8],
      ['age < 4294967296', 'integer out of range for a 32-bit attribute (0 to 4294967295)', 7],
      ['level#u8 = 256', 'integer out of range for a 8-bit attribute (0 to 255)', 12],
      ['x#u64 = 99999999999999999999999', 'integer out of range for a 64-bit attribute (0 to 18446744073709551615)', 9],
      ['age < 0', 'comparison is never true for a 32-bit attribute', 5],
      ['level#u8 > 255', 'comparison is never true for a 8-bit attribute', 10],
      ['level#u0 < 1', 'bit width must be 1 to 64', 8],
      ['level#u65 < 1', 'bit width must be 1 to 64', 8],
      ['level#u08 < 1', 'bit width must be 1 to 64', 8],
      ['level#8 < 1', "expected a bit width '#u1' to '#u64'", 6],
      ['level#u8 and x', "expected a comparison operator after the '#uN' width", 10],
      ['x#u8[8]=1', 'bit index must be 0 to 7', 6],
      ['x#u8[1]=2', 'bit value must be 0 or 1', 9],
      ['x#u8[1]=1 < 3', 'a bit attribute cannot be compared', 11],
      ['and#u8 < 3', "keyword 'and' cannot be an attribute name: quote it", 1],
      ['a < 3 < 4', "expected 'and', 'or' or end of policy", 7],
      ['not', "unexpected end of policy: expected an attribute, '(', 'not' or a threshold", 4],
      ['of', "expected an attribute, '(', 'not' or a threshold", 1],
      ['a, b', "expected 'and', 'or' or end of policy", 2],
    ];
    for (const [text, reason, column] of cases) {
      const e = syntaxError(text);
      expect({ text, reason: e.reason, column: e.column }).toEqual({ text, reason, column });
      expect(e.code).toBe('ERR_POLICY_SYNTAX');
      expect(e.message).toBe(`${reason} at column ${column}`);
    }
  });

  it('enforce the limits', () => {
    expect(syntaxError('a'.repeat(65_537)).reason).toBe('policy longer than 65536 characters');
    expect(syntaxError('a or b or c', { maxLength: 5 }).column).toBe(6);
    const deep = `${'('.repeat(65)}a${')'.repeat(65)}`;
    expect(syntaxError(deep)).toMatchObject({ reason: 'nesting deeper than 64', column: 65 });
    expect(parsePolicy(`${'('.repeat(64)}a${')'.repeat(64)}`)).toEqual({ kind: 'attr', name: 'a' });
    expect(syntaxError('((a))', { maxDepth: 1 })).toMatchObject({ reason: 'nesting deeper than 1', column: 2 });
    expect(syntaxError(`${'not '.repeat(65)}a`)).toMatchObject({ reason: 'nesting deeper than 64', column: 257 });
    const wide = Array.from({ length: 1025 }, (_, i) => `a${i}`).join(' or ');
    expect(syntaxError(wide)).toMatchObject({ reason: 'more than 1024 leaves' });
    expect(parsePolicy(wide, { maxLeaves: 1025 }).kind).toBe('or');
    // Comparisons count as the bit leaves they compile to: 32 x 33 leaves > 1024.
    const cmps = Array.from({ length: 33 }, (_, i) => `x${i} = 7`).join(' and ');
    expect(syntaxError(cmps).reason).toBe('more than 1024 leaves');
    expect(parsePolicy(cmps.replaceAll(' = 7', '#u8 = 7')).kind).toBe('and');
  });

  it('hostile inputs fail fast with PolicySyntaxError', () => {
    const nested = `${'('.repeat(100_000)}a${')'.repeat(100_000)}`;
    expect(syntaxError(nested).reason).toBe('policy longer than 65536 characters');
    expect(syntaxError(nested, { maxLength: 1 << 24, maxDepth: 512 })).toMatchObject({
      reason: 'nesting deeper than 512',
      column: 513,
    });
    expect(syntaxError(`${'not '.repeat(100_000)}a`, { maxLength: 1 << 24 }).reason).toBe('nesting deeper than 64');
    const mb = 'a and '.repeat(174_763);
    expect(mb.length).toBeGreaterThan(1_000_000);
    expect(syntaxError(mb).reason).toBe('policy longer than 65536 characters');
    expect(syntaxError(mb, { maxLength: 1 << 24 }).reason).toBe('more than 1024 leaves');
    const thr = `2 of (${Array.from({ length: 10_000 }, (_, i) => `a${i}`).join(', ')})`;
    expect(syntaxError(thr).reason).toBe('policy longer than 65536 characters');
    expect(syntaxError(thr, { maxLength: 1 << 24 })).toMatchObject({ reason: 'more than 1024 leaves' });
    expect(syntaxError(thr, { maxLength: 1 << 24, maxLeaves: 4096 })).toMatchObject({
      reason: 'more than 4096 leaves',
    });
    expect(syntaxError(`"${'x'.repeat(2000)}"`).reason).toBe('attribute name longer than 256 characters');
    expect(syntaxError('x'.repeat(2000)).reason).toBe('attribute name longer than 256 characters');
  });

  it('never throws anything but PolicySyntaxError on random text (fast-check)', () => {
    const alphabet = fc.constantFrom(
      ...'ab1 ()",\\#u[]=<>&|!%é\n'.split(''),
      ' and ',
      ' or ',
      'not ',
      '2 of (',
      '#u8',
      '\\u0041',
      '\ud800',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        try {
          const p = parsePolicy(text);
          expect(formatPolicy(parsePolicy(formatPolicy(p)))).toBe(formatPolicy(p));
        } catch (e) {
          expect(e).toBeInstanceOf(PolicySyntaxError);
          const col = (e as PolicySyntaxError).column;
          expect(col === undefined || (col >= 1 && col <= text.length + 1)).toBe(true);
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it('rejects bad arguments and malformed hand-built ASTs with InvalidArgumentError', () => {
    expect(() => parsePolicy(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => parsePolicy('a', { maxDepth: 0 })).toThrow(
      '"options.maxDepth" expected an integer in [1, 512], got 0',
    );
    expect(() => parsePolicy('a', { bits: 65 })).toThrow(InvalidArgumentError);
    expect(() => parsePolicy('a', null as unknown as object)).toThrow(InvalidArgumentError);
    const bad: unknown[] = [
      null,
      'a',
      { kind: 'attr' },
      { kind: 'attr', name: '' },
      { kind: 'attr', name: 'a#b' },
      { kind: 'and', children: [] },
      { kind: 'or', children: 'ab' },
      { kind: 'threshold', k: 3, children: [{ kind: 'attr', name: 'a' }] },
      { kind: 'threshold', k: 1.5, children: [{ kind: 'attr', name: 'a' }] },
      { kind: 'not' },
      { kind: 'cmp', name: 'a', op: '!=', value: 1n, bits: 8 },
      { kind: 'cmp', name: 'a', op: '<', value: 256n, bits: 8 },
      { kind: 'cmp', name: 'a', op: '<', value: 1, bits: 8 },
      { kind: 'cmp', name: 'a', op: '<', value: 0n, bits: 8 },
      { kind: 'cmp', name: 'a', op: '<', value: 1n, bits: 65 },
      { kind: 'xor', children: [] },
    ];
    for (const b of bad) {
      expect(
        () => formatPolicy(b as Policy),
        JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)),
      ).toThrow(InvalidArgumentError);
    }
    // cycles and exponential DAGs stop at the hard limits
    const cyc: { kind: 'and'; children: unknown[] } = { kind: 'and', children: [] };
    cyc.children.push(cyc);
    expect(() => formatPolicy(cyc as unknown as Policy)).toThrow(InvalidArgumentError);
    let dag: Policy = { kind: 'attr', name: 'a' };
    for (let i = 0; i < 200; i++) dag = { kind: 'and', children: [dag, dag] };
    expect(() => satisfies(dag, ['a'])).toThrow(/more than 4096 leaves/);
  });

  it('extraction rules over JSON Pointers', () => {
    const rule = parsePolicy('/resourceType and (/code or not /birthDate)');
    expect(formatPolicy(rule)).toBe('(/code or not /birthDate) and /resourceType');
    expect(satisfies(rule, ['/resourceType', '/code'], { literal: true })).toBe(true);
    expect(satisfies(rule, ['/resourceType'], { literal: true })).toBe(true);
    expect(satisfies(rule, ['/resourceType', '/birthDate'], { literal: true })).toBe(false);
    expect(satisfies(rule, ['/code'], { literal: true })).toBe(false);
    const esc = parsePolicy('"/a~1b/c~0d" and /name/0/given');
    expect(formatPolicy(esc)).toBe('"/a~1b/c~0d" and /name/0/given');
    expect(satisfies(esc, ['/a~1b/c~0d', '/name/0/given'], { literal: true })).toBe(true);
    // literal mode: '=' in a pointer is just a character, and bit labels never match
    expect(satisfies(parsePolicy('"/x=1"'), ['/x=1'], { literal: true })).toBe(true);
    expect(satisfies(parsePolicy('x#u8 >= 1'), ['x#u8[0]=1'], { literal: true })).toBe(false);
  });
});
