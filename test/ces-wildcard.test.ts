/**
 * Wildcards in extraction rules (issue 12, follow-up of finding 5). A `*` segment (`null` in
 * the array form) matches every child of a node: an array element or an object member,
 * whichever the record holds there. Earlier builds matched array indices only, so a rule
 * written for a record that keeps patients, notes or results in an object keyed by id
 * silently matched nothing: `never` leaked what it named and `mandatory` held vacuously.
 * A `*` segment of a JSON Pointer pattern is the wildcard too (it was a literal member name
 * "*", so the pointer shown in refusal messages, `/a/*` + `/b`, matched nothing when written back
 * as a rule). Each case goes through sign, extract and verify.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExtractionRules, extract, type JsonValue, RuleSet, SigningKey, sign, verify } from '../src/ces/index.js';
import { ExtractionNotAllowedError, InvalidArgumentError } from '../src/errors.js';
import { runs } from './helpers.js';

const key = SigningKey.generate('ed25519');
const record: JsonValue = {
  resourceType: 'Roster',
  patients: {
    alice: { name: 'Alice', ssn: '111-22-3333', hiv: true },
    bob: { name: 'Bob', ssn: '444-55-6666', hiv: false },
  },
  list: [{ ssn: 'x1' }, { ssn: 'x2' }],
};

type Sel = (string | (string | number)[])[];

function refused(rules: ExtractionRules, selection: Sel, rec: JsonValue = record): string | undefined {
  const signed = sign(key, rec, { rules });
  try {
    extract(signed, rec, selection);
  } catch (e) {
    expect(e).toBeInstanceOf(ExtractionNotAllowedError);
    return (e as ExtractionNotAllowedError).rule;
  }
  return undefined;
}

describe('CES rule wildcards over objects', () => {
  it('`never` with a wildcard over an object stops disclosing every member it names', () => {
    for (const never of [[['patients', null, 'ssn']], ['/patients/*/ssn']] as NonNullable<ExtractionRules['never']>[]) {
      expect(refused({ never }, ['/patients/alice/ssn'])).toBe('never(/patients/*/ssn)');
      expect(refused({ never }, ['/patients/bob'])).toBe('never(/patients/*/ssn)');
      expect(refused({ never }, ['/patients'])).toBe('never(/patients/*/ssn)');
      expect(refused({ never }, [''])).toBe('never(/patients/*/ssn)');
      // What the rule does not name stays disclosable.
      expect(refused({ never }, ['/patients/alice/name', '/patients/bob/hiv'])).toBeUndefined();
    }
  });

  it('`mandatory` with a wildcard over an object requires every member', () => {
    expect(refused({ mandatory: ['/patients/*/name'] }, ['/resourceType'])).toBe('mandatory(/patients/*/name)');
    expect(refused({ mandatory: ['/patients/*/name'] }, ['/patients/alice/name'])).toBe('mandatory(/patients/*/name)');
    const signed = sign(key, record, { rules: { mandatory: ['/patients/*/name'], never: ['/patients/*/ssn'] } });
    const r = verify(key.verifyKey(), extract(signed, record, ['/patients/alice/name', '/patients/bob/name']));
    expect(r.valid).toBe(true);
    if (r.valid) expect(r.disclosed).toEqual({ patients: { alice: { name: 'Alice' }, bob: { name: 'Bob' } } });
  });

  it('groups, requires, thresholds, forbidden and expression see object members too', () => {
    expect(refused({ groups: [['/patients/*/hiv']] }, ['/patients/alice/hiv'])).toMatch(/^group\(/);
    expect(refused({ requires: [{ if: '/patients/*/hiv', needs: ['/resourceType'] }] }, ['/patients/bob/hiv'])).toMatch(
      /^requires\(/,
    );
    expect(refused({ thresholds: [{ of: ['/patients/*/hiv'], atLeast: 1 }] }, ['/patients/alice/hiv'])).toBeUndefined();
    expect(refused({ forbidden: [['/patients/*/hiv', '/patients/*/name']] }, ['/patients/alice'])).toMatch(
      /^forbidden\(/,
    );
    expect(refused({ expression: 'not "/patients/*/hiv"' }, ['/patients/bob/hiv'])).toMatch(/^expression\(/);
  });

  it('units with a wildcard over an object make each member one unit', () => {
    const signed = sign(key, record, { units: [['patients', null]] });
    expect(() => extract(signed, record, ['/patients/alice/name'])).toThrow(InvalidArgumentError);
    expect(() => extract(signed, record, ['/patients/alice/name'])).toThrow(/signed as one unit/);
    const r = verify(key.verifyKey(), extract(signed, record, ['/patients/alice']));
    expect(r.valid).toBe(true);
    if (r.valid) expect(r.disclosed).toEqual({ patients: { alice: { name: 'Alice', ssn: '111-22-3333', hiv: true } } });
  });

  it('arrays keep working; a pointer `*` is the wildcard, the array form keeps a literal "*" member', () => {
    expect(refused({ never: ['/list/*/ssn'] }, ['/list/1'])).toBe('never(/list/*/ssn)');
    expect(RuleSet.from({ never: ['/a/*/b'] }).toJSON()).toMatchObject({ never: [['a', null, 'b']] });
    expect(RuleSet.from({ never: [['a', '*', 'b']] }).toJSON()).toMatchObject({ never: [['a', '*', 'b']] });
    const star = { a: { '*': 1, b: 2 } };
    expect(refused({ never: [['a', '*']] }, ['/a/b'], star)).toBeUndefined();
    expect(refused({ never: [['a', '*']] }, [['a', '*']], star)).toBe('never(/a/*)');
  });

  it('a `never` rule with wildcards refuses every selection that shows what it names, arrays or objects (fast-check)', () => {
    // Records whose containers are arrays or objects at random; the rule is a real leaf path
    // with some segments replaced by the wildcard. Whatever the containers, extracting that
    // leaf (or anything containing it) is refused, and every other leaf stays disclosable.
    const name = fc.constantFrom('a', 'b', '0', '7', 'x y', '*');
    const { tree } = fc.letrec<{ tree: JsonValue }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer(),
        fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
        fc
          .uniqueArray(fc.tuple(name, tie('tree')), { minLength: 1, maxLength: 3, selector: (e) => e[0] })
          .map((es) => Object.fromEntries(es) as JsonValue),
      ),
    }));
    const leaves = (v: JsonValue, p: (string | number)[] = []): (string | number)[][] =>
      typeof v !== 'object' || v === null
        ? [p]
        : Array.isArray(v)
          ? v.flatMap((x, i) => leaves(x, [...p, i]))
          : Object.entries(v).flatMap(([k, x]) => leaves(x, [...p, k]));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('r', 's'), tree, { minKeys: 1 }),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (rec, pick, wild) => {
          const all = leaves(rec);
          const target = all[pick % all.length] as (string | number)[];
          const pattern = target.map((s, i) => (wild[i] ? null : s));
          const signed = sign(key, rec, { rules: { never: [pattern] } });
          for (let n = 0; n <= target.length; n++) {
            expect(() => extract(signed, rec, [target.slice(0, n)])).toThrow(ExtractionNotAllowedError);
          }
          // Leaves the pattern does not match stay disclosable, and verify.
          const matches = (p: (string | number)[]) =>
            p.length >= pattern.length &&
            pattern.every((q, i) => q === null || q === p[i] || String(q) === String(p[i]));
          const others = all.filter((p) => !matches(p));
          const r = verify(key.verifyKey(), extract(signed, rec, others));
          expect(r.valid).toBe(true);
        },
      ),
      { numRuns: runs(60) },
    );
  });
});
