/**
 * FHIR-native extraction rules: a disclosure under {@link fhirRules} is still a
 * valid HL7 FHIR R4 resource. The rules follow the element cardinalities of the
 * FHIR R4 (4.0.1) StructureDefinitions (HL7 International, "FHIR Release 4",
 * http://hl7.org/fhir/R4/), read at build time into ./r4-table.ts:
 * - `resourceType` and every element of the resource with minimum cardinality >= 1
 *   are mandatory (disclosed in full);
 * - below that, at every level that is disclosed, the required elements of a backbone
 *   element or complex datatype are required whenever anything of it is disclosed
 *   (`requires`), e.g. `Observation.component.code` once any component is shown, and
 *   the `url` of every disclosed extension;
 * - a Bundle is a record of records (as are `contained` resources): with the record at
 *   hand, each entry's resource gets the rules of its own resource type.
 *
 * @module ces
 */
import { InvalidArgumentError } from '../../errors.js';
import { assertObject, assertString } from '../../internal/assert.js';
import type { ExtractionRules } from '../rules.js';
import type { JsonValue, PathPattern, PatternInput } from '../types.js';
import { R4_RESOURCE_TYPES, R4_TABLE, type R4Row } from './r4-table.js';

/** Options of {@link fhirRules}. */
export interface FhirRulesOptions {
  /**
   * `'never'` (default): the narrative `text` is never disclosed (its required `div`
   * repeats the whole resource, hidden fields included, as XHTML); `'allow'`: it may be,
   * with its required `status` and `div`.
   */
  readonly narrative?: 'never' | 'allow';
  /**
   * `'mandatory'` (default): `meta.security` labels travel with every disclosed resource,
   * so a receiving server keeps honouring them; `'free'`: they may be hidden.
   */
  readonly securityLabels?: 'mandatory' | 'free';
  /** More paths never disclosed, e.g. `['/identifier']`. */
  readonly never?: readonly PatternInput[];
  /**
   * The record the rules are for. Needed for per-entry rules of a Bundle and of
   * `contained` resources (their types are only known from the data); without it each
   * entry's resource only has to show its `resourceType` once anything of it is shown.
   */
  readonly record?: JsonValue;
  /**
   * With `record`: `'uniform'` (default) gives every entry the rules of every resource type
   * present, so the signed rules reveal which types the Bundle holds but not which entry
   * has which type; `'typed'` gives each entry exactly its own type's rules (least
   * disclosure, but the rules then tell a verifier the type of hidden entries).
   */
  readonly entries?: 'uniform' | 'typed';
  /** Rule set id (default `fhir-r4/<resourceType>`). */
  readonly id?: string;
}

/** Deepest nested rule pattern, in path segments. */
const MAX_PATTERN_DEPTH = 16;
/** Times one row may recur along a path (e.g. `Questionnaire.item.item`). */
const MAX_RECURRENCE = 2;
const TYPES = new Set(R4_RESOURCE_TYPES);

interface Builder {
  readonly mandatory: PathPattern[];
  readonly never: PathPattern[];
  readonly requires: { if: PathPattern; needs: PathPattern[] }[];
  readonly opts: Required<Pick<FhirRulesOptions, 'narrative' | 'securityLabels' | 'entries'>>;
  readonly record: JsonValue | undefined;
}

/** Concrete paths in `v` matching `pattern` whose value is a FHIR resource (object with a resourceType). */
function resourcesAt(v: JsonValue | undefined, pattern: PathPattern, at: (string | number)[] = []) {
  const out: { path: (string | number)[]; type: string }[] = [];
  const walk = (x: JsonValue | undefined, i: number, path: (string | number)[]): void => {
    if (x === undefined || x === null || typeof x !== 'object') return;
    if (i === pattern.length) {
      const t = (x as Record<string, JsonValue>).resourceType;
      if (!Array.isArray(x) && typeof t === 'string') out.push({ path, type: t });
      return;
    }
    const seg = pattern[i];
    if (seg === null) {
      // A wildcard matches every child, array element or object member (as the rules do).
      if (Array.isArray(x)) {
        for (let k = 0; k < x.length; k++) walk(x[k], i + 1, [...path, k]);
      } else {
        for (const k of Object.keys(x)) walk((x as Record<string, JsonValue>)[k], i + 1, [...path, k]);
      }
    } else if (Array.isArray(x)) {
      if (typeof seg === 'number') walk(x[seg], i + 1, [...path, seg]);
    } else if (typeof seg === 'string' && Object.hasOwn(x, seg)) {
      walk((x as Record<string, JsonValue>)[seg], i + 1, [...path, seg]);
    }
  };
  walk(v, at.length, at);
  return out;
}

/**
 * Constrain the element of row `key` at `prefix`: its required children are mandatory
 * (`trigger` undefined: the resource root) or required once `trigger` is disclosed.
 */
function constrain(b: Builder, key: string, prefix: PathPattern, trigger: PathPattern | undefined, chain: string[]) {
  // An extension's own value is not constrained (its url is): keeps every R4 rule set small.
  const row: R4Row = key === 'Extension' ? { r: ['url'] } : (R4_TABLE[key] ?? {});
  const isResource = TYPES.has(key);
  const needs: PathPattern[] = (row.r ?? [])
    .filter((n) => !(isResource && n === 'text' && b.opts.narrative === 'never'))
    .map((n) => [...prefix, n]);
  if (isResource) {
    needs.push([...prefix, 'resourceType']);
    if (b.opts.securityLabels === 'mandatory') needs.push([...prefix, 'meta', 'security']);
    if (b.opts.narrative === 'never') b.never.push([...prefix, 'text']);
  }
  if (trigger === undefined) b.mandatory.push(...needs);
  else if (needs.length > 0) b.requires.push({ if: trigger, needs });

  const children: (readonly [string, 0 | 1, string])[] = [...(row.c ?? [])];
  if (row.x === 1) children.push(['extension', 1, 'Extension'], ['modifierExtension', 1, 'Extension']);
  for (const [name, repeats, child] of children) {
    if (isResource && name === 'text' && b.opts.narrative === 'never') continue;
    const at: PathPattern = repeats === 1 ? [...prefix, name, null] : [...prefix, name];
    if (at.length > MAX_PATTERN_DEPTH) continue;
    if (child === '*') {
      nestedResources(b, at, chain);
      continue;
    }
    if (chain.filter((c) => c === child).length >= MAX_RECURRENCE) continue;
    constrain(b, child, at, at, [...chain, child]);
  }
}

/** Rules for resources nested at `at` (Bundle entries, contained resources, parameters). */
function nestedResources(b: Builder, at: PathPattern, chain: string[]) {
  const found = b.record === undefined ? [] : resourcesAt(b.record, at);
  if (found.length === 0) {
    b.requires.push({ if: at, needs: [[...at, 'resourceType']] });
    if (b.opts.narrative === 'never') b.never.push([...at, 'text']);
    return;
  }
  const known = (t: string) => TYPES.has(t) && chain.filter((c) => c === t).length < MAX_RECURRENCE;
  const present = [...new Set(found.map((f) => f.type))].filter(known).sort();
  for (const f of found) {
    const types = b.opts.entries === 'typed' ? present.filter((t) => t === f.type) : present;
    if (types.length === 0) {
      b.requires.push({ if: f.path, needs: [[...f.path, 'resourceType']] });
      continue;
    }
    for (const t of types) constrain(b, t, f.path, f.path, [...chain, t]);
  }
}

/**
 * Extraction rules under which every disclosure of a `resourceType` resource is a
 * valid FHIR R4 resource (cardinality-wise): `resourceType` and the elements with
 * minimum cardinality >= 1 are mandatory; nested required elements are required
 * wherever their parent is (partly) disclosed; plus the privacy choices of `options`.
 *
 * Over-approximation: for repeating elements a `requires` rule covers every
 * occurrence (disclosing one `component` requires the `code` of every component);
 * extensions inside datatypes (e.g. in a `HumanName`) are not constrained.
 *
 * @param resourceType - An R4 resource type, e.g. `'Observation'` or `'Bundle'`.
 * @throws InvalidArgumentError for an unknown resource type, bad options, or a
 *   `record` whose `resourceType` differs.
 * @example
 * ```ts
 * import { extract, fhirRules, sign, SigningKey, verify } from 'bpds/ces';
 * const obs = {
 *   resourceType: 'Observation', status: 'final',
 *   code: { text: 'Glucose' }, valueQuantity: { value: 6.3, unit: 'mmol/L' },
 *   subject: { reference: 'Patient/example' },
 * };
 * const hospital = SigningKey.generate();
 * const signed = sign(hospital, obs, { rules: fhirRules('Observation') });
 * const shown = extract(signed, obs, ['/resourceType', '/status', '/code', '/valueQuantity']);
 * console.log(verify(hospital.verifyKey(), shown).valid); // true
 * ```
 */
export function fhirRules(resourceType: string, options: FhirRulesOptions = {}): ExtractionRules {
  assertString(resourceType, 'resourceType', 128);
  if (!TYPES.has(resourceType)) throw new InvalidArgumentError(`"resourceType" ${resourceType} is not an R4 resource`);
  assertObject(options as unknown, 'options');
  const narrative = options.narrative ?? 'never';
  if (narrative !== 'never' && narrative !== 'allow') {
    throw new InvalidArgumentError('"options.narrative" must be "never" or "allow"');
  }
  const securityLabels = options.securityLabels ?? 'mandatory';
  if (securityLabels !== 'mandatory' && securityLabels !== 'free') {
    throw new InvalidArgumentError('"options.securityLabels" must be "mandatory" or "free"');
  }
  const entries = options.entries ?? 'uniform';
  if (entries !== 'uniform' && entries !== 'typed') {
    throw new InvalidArgumentError('"options.entries" must be "uniform" or "typed"');
  }
  const record = options.record;
  if (record !== undefined) {
    const t = typeof record === 'object' && record !== null && !Array.isArray(record) ? record.resourceType : undefined;
    if (t !== resourceType) throw new InvalidArgumentError(`"options.record" is not a ${resourceType}`);
  }
  const extra = options.never ?? [];
  if (!Array.isArray(extra)) throw new InvalidArgumentError('"options.never" expected an array of paths');
  const b: Builder = {
    mandatory: [],
    never: [],
    requires: [],
    opts: { narrative, securityLabels, entries },
    record,
  };
  constrain(b, resourceType, [], undefined, [resourceType]);
  const id = options.id ?? `fhir-r4/${resourceType}`;
  return { id, mandatory: b.mandatory, never: [...b.never, ...extra], requires: b.requires };
}
