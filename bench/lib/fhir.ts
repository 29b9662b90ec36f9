/**
 * A synthetic, FHIR-shaped record (an HL7 FHIR R4 `Bundle` of a Patient and
 * Observations) with exactly `fields` leaf values, and the claims paths of its
 * leaves. Deterministic: the same `fields` always gives the same record.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Path = (string | number)[];

const LOINC: [string, string, string][] = [
  ['8867-4', 'Heart rate', '/min'],
  ['8480-6', 'Systolic blood pressure', 'mm[Hg]'],
  ['8462-4', 'Diastolic blood pressure', 'mm[Hg]'],
  ['2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL'],
  ['2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL'],
  ['29463-7', 'Body weight', 'kg'],
];

function patient(): Json {
  return {
    resource: {
      resourceType: 'Patient',
      id: 'pat-7f3a9c',
      name: [{ family: 'Nguyen', given: ['Linh'] }],
      gender: 'female',
      birthDate: '1984-03-17',
      address: [{ city: 'Lyon', postalCode: '69003', country: 'FR' }],
    },
  };
}

/** 9 leaves per observation. */
function observation(i: number): Json {
  const [code, display, unit] = LOINC[i % LOINC.length]!;
  return {
    resource: {
      resourceType: 'Observation',
      id: `obs-${i}`,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code, display }] },
      effectiveDateTime: `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T08:30:00Z`,
      valueQuantity: { value: 60 + ((i * 37) % 90), unit },
    },
  };
}

/** Every leaf path of a JSON value (empty containers count as leaves), in document order. */
export function leafPaths(v: Json, prefix: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [prefix];
  const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, x]) => leafPaths(x, [...prefix, k]));
}

/** A Bundle with exactly `fields` leaves (at least 12). */
export function fhirBundle(fields: number): Json {
  if (fields < 12) throw new RangeError('fhirBundle: at least 12 fields');
  const entry: Json[] = [patient()];
  const bundle: { [k: string]: Json } = { resourceType: 'Bundle', type: 'collection', entry };
  let count = leafPaths(bundle).length;
  let i = 0;
  while (count + 9 <= fields) {
    entry.push(observation(i++));
    count += 9;
  }
  if (count < fields) {
    const tags: Json[] = [];
    for (; count < fields; count++) tags.push({ code: `tag-${tags.length}` });
    bundle.meta = { tag: tags };
  }
  const n = leafPaths(bundle).length;
  if (n !== fields) throw new Error(`fhirBundle: built ${n} leaves, wanted ${fields}`);
  return bundle;
}

/** The leaves to disclose: every fourth leaf, so disclosed fields spread over the whole record. */
export function quarterOf(paths: readonly Path[]): Path[] {
  return paths.filter((_, i) => i % 4 === 0);
}
