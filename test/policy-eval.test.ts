import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, PolicySyntaxError } from '../src/errors.js';
import {
  type CmpOp,
  expandKeyAttributes,
  minimalSatisfyingSet,
  type Policy,
  parsePolicy,
  policyLeaves,
  satisfies,
  toMonotone,
} from '../src/policy/index.js';
import { runs } from './helpers.js';
import { evalRows, keyArb, keyStrings, policyArb, refEval } from './policy/arbitraries.js';

describe('satisfies', () => {
  it('agrees with direct tree evaluation (fast-check)', () => {
    fc.assert(
      fc.property(policyArb(), keyArb, (ast, key) => {
        expect(satisfies(ast, keyStrings(key))).toBe(refEval(ast, key));
        // the same with already-expanded key attributes
        expect(satisfies(ast, expandKeyAttributes(keyStrings(key)))).toBe(refEval(ast, key));
      }),
      { numRuns: runs(300) },
    );
  });

  it('agrees with the monotone form for not-free policies (fast-check)', () => {
    fc.assert(
      fc.property(policyArb({ not: false }), keyArb, (ast, key) => {
        const attrs = keyStrings(key);
        expect(satisfies(toMonotone(ast), attrs)).toBe(satisfies(ast, attrs));
        expect(minimalSatisfyingSet(ast, attrs) !== null).toBe(satisfies(ast, attrs));
      }),
      { numRuns: runs(150) },
    );
  });

  it('works on EMR-style policies', () => {
    const p = parsePolicy(
      '(dept:cardiology and role/doctor and clearance >= 3) or (patient:7f3a9c and year#u16 = 2026) or 2 of (role/auditor, hospital.42, "Dr. Smith")',
    );
    expect(satisfies(p, ['dept:cardiology', 'role/doctor', 'clearance = 3'])).toBe(true);
    expect(satisfies(p, ['dept:cardiology', 'role/doctor', 'clearance = 2'])).toBe(false);
    expect(satisfies(p, ['dept:cardiology', 'role/doctor'])).toBe(false);
    expect(satisfies(p, ['patient:7f3a9c', 'year#u16 = 2026'])).toBe(true);
    expect(satisfies(p, ['patient:7f3a9c', 'year = 2026'])).toBe(false); // 32-bit value, 16-bit comparison
    expect(satisfies(p, ['role/auditor', '"Dr. Smith"'])).toBe(true);
    expect(satisfies(p, ['role/auditor', 'Dr. Smith'])).toBe(true);
    expect(satisfies(p, ['role/auditor'])).toBe(false);
    expect(satisfies(parsePolicy('not dept:er'), [])).toBe(true);
    expect(satisfies(parsePolicy('not dept:er'), ['dept:er'])).toBe(false);
  });
});

describe('numeric comparisons', () => {
  const ops: CmpOp[] = ['<', '<=', '>', '>=', '='];
  const cmp = (op: CmpOp, x: bigint, c: bigint) =>
    op === '<' ? x < c : op === '<=' ? x <= c : op === '>' ? x > c : op === '>=' ? x >= c : x === c;

  it('agree with integer comparison across the bit width (fast-check)', () => {
    const edge = (bits: number) => {
      const max = (1n << BigInt(bits)) - 1n;
      return fc.oneof(
        fc.constantFrom(0n, 1n, max, max - 1n, max >> 1n, (max >> 1n) + 1n).map((v) => (v < 0n ? 0n : v)),
        fc.bigInt({ min: 0n, max }),
      );
    };
    const arb = fc
      .integer({ min: 1, max: 64 })
      .chain((bits) => fc.tuple(fc.constant(bits), fc.constantFrom(...ops), edge(bits), edge(bits)));
    fc.assert(
      fc.property(arb, ([bits, op, c, x]) => {
        const max = (1n << BigInt(bits)) - 1n;
        const text = `n#u${bits} ${op} ${c}`;
        if ((op === '<' && c === 0n) || (op === '>' && c === max)) {
          expect(() => parsePolicy(text)).toThrow(PolicySyntaxError);
          return;
        }
        const p = parsePolicy(text);
        expect(satisfies(p, [`n#u${bits} = ${x}`])).toBe(cmp(op, x, c));
        // the monotone form has at most `bits` leaves (2 for "any value")
        expect(policyLeaves(p).length).toBeLessThanOrEqual(Math.max(bits, 2));
        // the key side expansion satisfies the compiled gates exactly when the integers compare
        expect(satisfies(toMonotone(p), expandKeyAttributes([`n = ${x}`], { bits }))).toBe(cmp(op, x, c));
        // other widths and other names never match
        expect(satisfies(p, [`m#u${bits} = ${x}`])).toBe(false);
        if (bits < 64) expect(satisfies(p, [`n#u${bits + 1} = ${x}`])).toBe(false);
      }),
      { numRuns: runs(400) },
    );
  });

  it('exhaustively for 3-bit attributes', () => {
    for (const op of ops) {
      for (let c = 0n; c < 8n; c++) {
        if ((op === '<' && c === 0n) || (op === '>' && c === 7n)) continue;
        const p = parsePolicy(`v#u3 ${op} ${c}`);
        for (let x = 0n; x < 8n; x++) expect(satisfies(p, [`v#u3=${x}`]), `${x} ${op} ${c}`).toBe(cmp(op, x, c));
        expect(satisfies(p, [])).toBe(false);
      }
    }
  });

  it('compile to the BSW07 gates', () => {
    // 6 = 0b0110: x3 or (x2 and x1), canonical order puts the and first
    expect(policyLeaves(parsePolicy('level#u4 >= 6'))).toEqual(['level#u4[1]=1', 'level#u4[2]=1', 'level#u4[3]=1']);
    expect(policyLeaves(parsePolicy('level#u4 <= 9'))).toEqual(['level#u4[1]=0', 'level#u4[2]=0', 'level#u4[3]=0']);
    expect(policyLeaves(parsePolicy('level#u4 = 5'))).toEqual([
      'level#u4[0]=1',
      'level#u4[1]=0',
      'level#u4[2]=1',
      'level#u4[3]=0',
    ]);
    expect(policyLeaves(parsePolicy('level#u4 >= 0'))).toEqual(['level#u4[0]=0', 'level#u4[0]=1']);
    expect(policyLeaves(parsePolicy('age >= 18')).length).toBe(31);
  });
});

describe('expandKeyAttributes', () => {
  it('expands numeric assignments into sorted, deduplicated bit labels', () => {
    expect(expandKeyAttributes(['role/doctor', 'clearance#u2 = 2', 'role/doctor', 'clearance#u2=2'])).toEqual([
      'clearance#u2[0]=0',
      'clearance#u2[1]=1',
      'role/doctor',
    ]);
    expect(expandKeyAttributes(['x = 5'], { bits: 3 })).toEqual(['x#u3[0]=1', 'x#u3[1]=0', 'x#u3[2]=1']);
    expect(expandKeyAttributes(['  x\t=\n005  '], { bits: 3 })).toEqual(['x#u3[0]=1', 'x#u3[1]=0', 'x#u3[2]=1']);
    expect(expandKeyAttributes(['"Year X"#u1 = 1'])).toEqual(['Year X#u1[0]=1']);
    expect(expandKeyAttributes(['"a = b"', 'Dr. Smith', 'and', '42', '/code'])).toEqual([
      '/code',
      '42',
      'Dr. Smith',
      'a = b',
      'and',
    ]);
    expect(expandKeyAttributes(['level = 3']).length).toBe(32);
    expect(expandKeyAttributes([])).toEqual([]);
    expect(expandKeyAttributes(new Set(['b', 'a']))).toEqual(['a', 'b']);
  });

  it('rejects invalid entries naming them', () => {
    const bad: [unknown, RegExp][] = [
      [['a', 3], /"attributes\[1\]" expected string, got number/],
      [['a', 'b#c'], /"attributes\[1\]" "b#c" is not a valid key attribute/],
      [['x#u8[0]=1'], /"attributes\[0\]" "x#u8\[0\]=1" is a reserved bit attribute/],
      [['"x"#u8[0]=1'], /"attributes\[0\]".*is a reserved bit attribute/],
      [['"x#y"'], /attribute names cannot contain '#'/],
      [['level = x'], /expected a non-negative integer after '='/],
      [['level = -1'], /expected a non-negative integer after '='/],
      [['level#u8 = 256'], /integer out of range for a 8-bit attribute/],
      [['level = 1 2'], /unexpected text after the integer/],
      [['level < 3'], /expected '=' and an integer/],
      [['= 3'], /expected an attribute name/],
      [['"unterminated'], /unterminated string/],
      [[''], /attribute name is empty/],
      [[' padded'], /leading or trailing spaces/],
      [['a\u0001b'], /control characters/],
      [['level = 3', 'level#u8 = 4'], /two different values to the numeric attribute "level"/],
      [['x'.repeat(5000)], /longer than/],
    ];
    for (const [attrs, re] of bad) {
      expect(() => expandKeyAttributes(attrs as string[]), String(attrs)).toThrow(InvalidArgumentError);
      expect(() => expandKeyAttributes(attrs as string[]), String(attrs)).toThrow(re);
    }
    expect(() => expandKeyAttributes('abc' as unknown as string[])).toThrow(
      /expected an iterable of strings, got string/,
    );
    expect(() => expandKeyAttributes(['a'], { bits: 0 })).toThrow(InvalidArgumentError);
  });

  it('a user-chosen name can never become a bit attribute (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        let out: string[];
        try {
          out = expandKeyAttributes([s]);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        // whatever it is, it is either a plain label without '#' or came from an explicit "name = value"
        for (const label of out) if (label.includes('#')) expect(s).toMatch(/=/);
        if (!s.includes('=')) for (const label of out) expect(label.includes('#')).toBe(false);
      }),
      { numRuns: runs(500) },
    );
  });

  it('satisfies/minimalSatisfyingSet accept expanded labels but reject conflicting bits', () => {
    const p = parsePolicy('x#u2 = 3');
    expect(satisfies(p, ['x#u2[0]=1', 'x#u2[1]=1'])).toBe(true);
    expect(() => satisfies(p, ['x#u2[0]=1', 'x#u2[0]=0'])).toThrow(/conflicting values for bit 0/);
    expect(() => satisfies(p, ['x#u2 = 1', 'x#u2 = 2'])).toThrow(InvalidArgumentError);
    expect(() => satisfies(p, ['x#u2[0]=1', 'x#u2 = 2'])).toThrow(InvalidArgumentError);
    expect(minimalSatisfyingSet(p, ['x#u2[0]=1', 'x#u2[1]=1'])).toEqual([0, 1]);
  });
});

describe('minimalSatisfyingSet', () => {
  /** Brute force: the smallest subsets (by size) of held rows that satisfy the monotone tree. */
  function bruteMin(m: Policy, held: number[]): number | null {
    const n = held.length;
    let best: number | null = null;
    for (let mask = 0; mask < 1 << n; mask++) {
      const size = popcount(mask);
      if (best !== null && size >= best) continue;
      const rows = new Set(held.filter((_, i) => mask & (1 << i)));
      if (evalRows(m, rows)) best = size;
    }
    return best;
  }
  function popcount(x: number): number {
    let c = 0;
    for (; x; x &= x - 1) c++;
    return c;
  }

  it('returns a satisfying set of minimum size (fast-check vs brute force)', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(policyArb({ not: false, cmp: false, names, maxDepth: 3 }), fc.subarray(names), (ast, key) => {
        const m = toMonotone(ast);
        const labels = policyLeaves(ast);
        fc.pre(labels.length <= 14);
        const held = labels.flatMap((l, i) => (key.includes(l) ? [i] : []));
        const got = minimalSatisfyingSet(ast, key);
        const want = bruteMin(m, held);
        if (want === null) {
          expect(got).toBeNull();
          return;
        }
        expect(got).not.toBeNull();
        const rows = got as number[];
        expect(rows.length).toBe(want);
        expect([...rows].sort((x, y) => x - y)).toEqual(rows);
        for (const r of rows) expect(key).toContain(labels[r]);
        expect(evalRows(m, new Set(rows))).toBe(true);
      }),
      { numRuns: runs(200) },
    );
  });

  it('prefers the cheapest branch', () => {
    const p = parsePolicy('(a and b and c) or d');
    expect(minimalSatisfyingSet(p, ['a', 'b', 'c', 'd'])).toEqual([3]);
    expect(minimalSatisfyingSet(p, ['a', 'b', 'c'])).toEqual([0, 1, 2]);
    expect(minimalSatisfyingSet(p, ['a', 'b'])).toBeNull();
    const t = parsePolicy('2 of (a and b, c, d and e and f)');
    expect(policyLeaves(t)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(minimalSatisfyingSet(t, ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual([0, 1, 2]);
    expect(minimalSatisfyingSet(parsePolicy('age >= 18 and x'), ['age = 40', 'x'])).not.toBeNull();
    expect(() => minimalSatisfyingSet(parsePolicy('a and not b'), ['a'])).toThrow(PolicySyntaxError);
    try {
      minimalSatisfyingSet(parsePolicy('a and not b'), ['a']);
    } catch (e) {
      expect(e).toMatchObject({ reason: 'not is not allowed in a monotone policy (CP-ABE)', column: 7 });
    }
  });

  it('scales linearly: 1024-leaf policies', () => {
    const names = Array.from({ length: 1024 }, (_, i) => `a${i}`);
    const p = parsePolicy(`512 of (${names.join(', ')})`, { maxLength: 1 << 20 });
    const rows = minimalSatisfyingSet(p, names);
    expect(rows?.length).toBe(512);
    expect(minimalSatisfyingSet(p, names.slice(0, 511))).toBeNull();
  });
});
