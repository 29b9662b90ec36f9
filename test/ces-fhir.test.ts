/**
 * bpds/ces on HL7 FHIR fixtures (Patient, Observation, a Bundle) with realistic
 * extraction rules, for every scheme.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ExtractionRules,
  extract,
  type JsonValue,
  type SchemeName,
  SigningKey,
  sign,
  verify,
} from '../src/ces/index.js';
import { ExtractionNotAllowedError } from '../src/errors.js';
import { init } from '../src/pairing/index.js';

await init();

const load = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/fhir/${name}`, import.meta.url), 'utf8'));
const patient = load('patient.json') as JsonValue;
const observation = load('observation.json') as JsonValue;
const bundle = load('bundle.json') as JsonValue;
const rules = {
  patient: load('patient.rules.json') as ExtractionRules,
  observation: load('observation.rules.json') as ExtractionRules,
  bundle: load('bundle.rules.json') as ExtractionRules,
};

const CASES: { scheme: SchemeName; alg: 'ed25519' | 'p256' | 'bls-bn254' }[] = [
  { scheme: 'commit-vector', alg: 'ed25519' },
  { scheme: 'hash-tree', alg: 'p256' },
  { scheme: 'aggregate', alg: 'bls-bn254' },
];

function refusedRule(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExtractionNotAllowedError);
    return (e as ExtractionNotAllowedError).rule;
  }
  return expect.unreachable('expected ExtractionNotAllowedError');
}

describe.each(CASES)('FHIR with $scheme', ({ scheme, alg }) => {
  const hospital = SigningKey.generate(alg);
  const vk = hospital.verifyKey();

  it('Patient: a demographic disclosure within the rules', () => {
    const units = [
      ['name', null],
      ['address', null],
      ['telecom', null],
    ];
    const signed = sign(hospital, patient, { scheme, rules: rules.patient, units, bucket: 32 });
    const p = extract(signed, patient, ['/resourceType', '/meta/profile', '/gender', '/birthDate', '/name']);
    const r = verify(vk, p.toBytes(), { rules: rules.patient });
    expect(r.valid).toBe(true);
    if (!r.valid) return;
    expect(r.rulesId).toBe('fhir-patient-ips-v1');
    expect(r.disclosed).toEqual({
      resourceType: 'Patient',
      meta: { profile: ['http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips'] },
      gender: 'female',
      birthDate: '1984-03-17',
      name: (patient as { name: JsonValue }).name,
    });
    const base = ['/resourceType', '/meta/profile'];
    expect(refusedRule(() => extract(signed, patient, ['/gender']))).toBe('mandatory(/meta/profile)');
    expect(refusedRule(() => extract(signed, patient, [...base, '/identifier/0']))).toBe('never(/identifier)');
    expect(refusedRule(() => extract(signed, patient, [...base, '/name/1']))).toBe('group(/name)');
    expect(refusedRule(() => extract(signed, patient, [...base, '/birthDate', '/address/0']))).toBe(
      'forbidden(/address/*/postalCode, /birthDate)',
    );
    expect(refusedRule(() => extract(signed, patient, [...base, '/name', '/telecom', '/address']))).toBe(
      'threshold(0..2 of /address, /birthDate, /name, /telecom)',
    );
    expect(refusedRule(() => extract(signed, patient, [...base, '/generalPractitioner']))).toBe(
      'requires(/generalPractitioner -> /managingOrganization)',
    );
  });

  it('Observation: an HbA1c result for a researcher, without the subject', () => {
    const signed = sign(hospital, observation, { scheme, rules: rules.observation, units: ['/code'] });
    const sel = ['/resourceType', '/status', '/code', '/valueQuantity', '/effectiveDateTime'];
    const r = verify(vk, extract(signed, observation, sel).toBytes());
    expect(r.valid && r.disclosed).toEqual({
      resourceType: 'Observation',
      status: 'final',
      code: (observation as { code: JsonValue }).code,
      effectiveDateTime: '2026-09-28T07:45:00+02:00',
      valueQuantity: { value: 6.9, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
    });
    expect(refusedRule(() => extract(signed, observation, [...sel, '/subject']))).toBe('never(/subject)');
    expect(refusedRule(() => extract(signed, observation, [...sel, '/interpretation']))).toBe(
      'requires(/interpretation -> /referenceRange, /valueQuantity)',
    );
    expect(refusedRule(() => extract(signed, observation, [...sel.slice(0, 3), '/valueQuantity/value']))).toBe(
      'group(/valueQuantity)',
    );
    const full = [...sel, '/interpretation', '/referenceRange', '/category', '/issued'];
    expect(verify(vk, extract(signed, observation, full)).valid).toBe(true);
  });

  it('Bundle: clinical fields of two resources out of six', () => {
    const signed = sign(hospital, bundle, { scheme, rules: rules.bundle });
    const types = [0, 1, 2, 3, 4, 5].map((i) => `/entry/${i}/resource/resourceType`);
    const sel = ['/resourceType', '/type', ...types, '/entry/2/resource/code', '/entry/3/resource/valueQuantity'];
    const r = verify(vk, extract(signed, bundle, sel).toBytes());
    expect(r.valid).toBe(true);
    if (!r.valid) return;
    const entries = (r.disclosed as { entry: { resource: Record<string, JsonValue> }[] }).entry;
    expect(entries.map((e) => e.resource.resourceType)).toEqual([
      'Patient',
      'Encounter',
      'Condition',
      'Observation',
      'Observation',
      'MedicationRequest',
    ]);
    expect(entries[3]?.resource.valueQuantity).toEqual({
      value: 6.9,
      unit: '%',
      system: 'http://unitsofmeasure.org',
      code: '%',
    });
    expect(r.claims.some((c) => c.path[1] === 3 && c.path[3] === 'valueQuantity')).toBe(true);
    expect(refusedRule(() => extract(signed, bundle, ['/resourceType', '/type']))).toBe(
      'mandatory(/entry/*/resource/resourceType)',
    );
    expect(refusedRule(() => extract(signed, bundle, [...sel, '/entry/0/fullUrl']))).toBe('never(/entry/*/fullUrl)');
    expect(
      refusedRule(() => extract(signed, bundle, [...sel, '/entry/0/resource/name', '/entry/0/resource/birthDate'])),
    ).toBe('forbidden(/entry/0/resource/birthDate, /entry/0/resource/name)');
    expect(refusedRule(() => extract(signed, bundle, [...sel, '/entry/5/resource/dosageInstruction']))).toBe(
      'requires(/entry/*/resource/dosageInstruction -> /entry/*/resource/medicationCodeableConcept)',
    );
  });
});
