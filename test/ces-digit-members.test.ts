/**
 * Extraction rules on object members whose names are all digits (issue 12, finding 5).
 * In a JSON Pointer, `/notes/2024` names element 2024 of an array or the member "2024"
 * of an object, whichever the record holds (RFC 6901, §4). Rules must match what the
 * signer pointed at: `never` must stop disclosing `notes["2024"]`, `mandatory` must
 * require it, for pointer and array patterns alike, through sign/extract/verify.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExtractionRules, extract, type JsonValue, SigningKey, sign, verify } from '../src/ces/index.js';
import { ExtractionNotAllowedError } from '../src/errors.js';
import { runs } from './helpers.js';

const key = SigningKey.generate('ed25519');
const record: JsonValue = {
  resourceType: 'Note',
  notes: { '2023': 'routine check', '2024': 'HIV positive', '7': { text: 'x' } },
  list: ['a', 'b', 'c'],
};

function refused(rules: ExtractionRules, selection: (string | (string | number)[])[]): string | undefined {
  const signed = sign(key, record, { rules });
  try {
    extract(signed, record, selection);
  } catch (e) {
    expect(e).toBeInstanceOf(ExtractionNotAllowedError);
    return (e as ExtractionNotAllowedError).rule;
  }
  return undefined;
}

describe('CES rules on all-digit object members', () => {
  it('`never` with a digit pointer segment stops disclosing the object member', () => {
    expect(refused({ never: ['/notes/2024'] }, ['/notes/2024'])).toBe('never(/notes/2024)');
    expect(refused({ never: ['/notes/2024'] }, ['/notes'])).toBe('never(/notes/2024)');
    expect(refused({ never: ['/notes/2024'] }, [''])).toBe('never(/notes/2024)');
    expect(refused({ never: [['notes', 2024]] }, [['notes', '2024']])).toBe('never(/notes/2024)');
    expect(refused({ never: ['/notes/7/text'] }, ['/notes/7'])).toBe('never(/notes/7/text)');
    // Other members stay disclosable.
    expect(refused({ never: ['/notes/2024'] }, ['/notes/2023', '/notes/7'])).toBeUndefined();
  });

  it('`mandatory` with a digit pointer segment requires the object member', () => {
    expect(refused({ mandatory: ['/notes/2023'] }, ['/resourceType'])).toBe('mandatory(/notes/2023)');
    expect(refused({ mandatory: ['/notes/7'] }, ['/notes/2023'])).toBe('mandatory(/notes/7)');
    const signed = sign(key, record, { rules: { mandatory: ['/notes/2023'], never: ['/notes/2024'] } });
    const r = verify(key.verifyKey(), extract(signed, record, ['/resourceType', '/notes/2023']));
    expect(r.valid).toBe(true);
    if (r.valid) expect(r.disclosed).toEqual({ resourceType: 'Note', notes: { '2023': 'routine check' } });
  });

  it('groups, requires, thresholds and forbidden see digit members too', () => {
    expect(refused({ groups: [['/notes/2023', '/notes/7']] }, ['/notes/2023'])).toMatch(/^group\(/);
    expect(refused({ requires: [{ if: '/notes/2024', needs: ['/list'] }] }, ['/notes/2024'])).toMatch(/^requires\(/);
    expect(refused({ thresholds: [{ of: ['/notes/2023', '/notes/2024'], atMost: 1 }] }, ['/notes'])).toMatch(
      /^threshold\(/,
    );
    expect(refused({ forbidden: [['/notes/2023', '/list/1']] }, ['/notes/2023', '/list/1'])).toMatch(/^forbidden\(/);
    expect(refused({ expression: '/resourceType and not /notes/2024' }, ['/resourceType', '/notes'])).toMatch(
      /^expression\(/,
    );
  });

  it('array indices keep working, and a digit string names an index too', () => {
    expect(refused({ never: ['/list/1'] }, ['/list/1'])).toBe('never(/list/1)');
    expect(refused({ never: [['list', '1']] }, ['/list'])).toBe('never(/list/1)');
    expect(refused({ never: ['/list/1'] }, ['/list/0', '/list/2'])).toBeUndefined();
    // A leading zero is a member name, never an index.
    expect(refused({ never: [['list', '01']] }, ['/list'])).toBeUndefined();
  });

  it('for any digit member name, `never` on its pointer refuses every selection that shows it (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 1_000_000 }).map(String), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (names, pick) => {
          const obj = Object.fromEntries(names.map((n) => [n, `v${n}`]));
          const rec = { o: obj };
          const hidden = names[pick % names.length] as string;
          const signed = sign(key, rec, { rules: { never: [`/o/${hidden}`] } });
          for (const sel of [[`/o/${hidden}`], ['/o'], ['']]) {
            expect(() => extract(signed, rec, sel)).toThrow(ExtractionNotAllowedError);
          }
          const others = names.filter((n) => n !== hidden).map((n) => `/o/${n}`);
          const r = verify(key.verifyKey(), extract(signed, rec, others));
          expect(r.valid).toBe(true);
          if (r.valid) expect(JSON.stringify(r.disclosed ?? {})).not.toContain(`v${hidden}"`);
        },
      ),
      { numRuns: runs(40) },
    );
  });
});
