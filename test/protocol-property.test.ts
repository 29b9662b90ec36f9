import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../src/ces/index.js';
import { parsePolicy } from '../src/policy/index.js';
import { ProtocolError } from '../src/protocol/index.js';
import { runs } from './helpers.js';
import { referenceSatisfies } from './policy-oracle.js';
import { makeWorld, type World } from './protocol-helpers.js';

const ATTRS = ['dept:cardio', 'dept:er', 'role:doctor', 'role:nurse', 'site:north'];
const record: { [k: string]: JsonValue } = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'LVEF', coding: [{ code: '10230-1' }] },
  valueQuantity: { value: 41, unit: '%' },
  effectiveDateTime: '2026-11-20T09:30:00Z',
  performer: [{ display: 'Dr. Chen' }, { display: 'Dr. Ito' }],
};
const FIELDS = Object.keys(record);

const policyArb: fc.Arbitrary<string> = fc
  .letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...ATTRS),
      fc.tuple(tie('p'), tie('p'), fc.constantFrom('and', 'or')).map(([a, b, op]) => `(${a} ${op} ${b})`),
    ),
  }))
  .p.filter((p) => ATTRS.every((a) => p.split(a).length - 1 <= 2)); // FAME keys allow 2 repeats by default

describe('property: a requester gets exactly what was granted, and only when the policy is satisfied', () => {
  let w: World;
  let n = 0;
  beforeAll(async () => {
    w = await makeWorld();
  });

  it('random policies, attribute sets and field selections', async () => {
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        fc.subarray(ATTRS),
        fc.subarray(FIELDS, { minLength: 1 }),
        async (policy, attributes, fields) => {
          n++;
          const id = `req-${n}`;
          const published = await w.hospital.publish({ patient: 'p-alice', record, policy });
          const requester = await w.requester(id, attributes);

          // Whole record: readable exactly when the attributes satisfy the hospital's policy.
          await w.patient.grant({ recordId: published.recordId, to: { requester: id }, purposes: ['TREAT'] });
          const allowed = referenceSatisfies(parsePolicy(policy), attributes);
          const full = await requester.access({ recordId: published.recordId, purpose: 'TREAT' }).then(
            (r) => r,
            (e: unknown) => e,
          );
          if (allowed) {
            expect(full).not.toBeInstanceOf(Error);
            expect((full as { record: JsonValue }).record).toEqual(record);
          } else {
            expect(full).toBeInstanceOf(ProtocolError);
            expect((full as ProtocolError).step).toBe('decrypt');
          }

          // Field-limited grant: exactly the granted fields, whatever the attributes.
          const g = await w.patient.grant({
            recordId: published.recordId,
            to: { requester: id },
            fields: fields.map((f) => `/${f}`),
            purposes: ['HPAYMT'],
          });
          const shown = await requester.access({
            recordId: published.recordId,
            purpose: 'HPAYMT',
            presentation: g.presentation as string,
          });
          expect(shown.record).toEqual(Object.fromEntries(fields.map((f) => [f, record[f]])));
          expect(shown.report.fieldsHidden).toBe(true);
        },
      ),
      { numRuns: runs(8, { heavy: true }) },
    );
  });
});
