// Writes the known-answer vectors (one JSON file per area) from compute.ts.
// Run: npx tsx test/vectors/kat/generate.ts   (only for a deliberate, versioned format change)
// BLS12-381 (curve-dependent files only, into bls12-381/):
//      npx tsx test/vectors/kat/generate.ts --curve bls12-381
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as P from '../../../src/pairing/index.js';
import { allVectors, curveVectors } from './compute.js';

const here = dirname(fileURLToPath(import.meta.url));
const bls = process.argv.includes('--curve') && process.argv[process.argv.indexOf('--curve') + 1] === 'bls12-381';
let dir = here;
let all: Record<string, unknown>;
if (bls) {
  await P.init({ curve: 'bls12-381' });
  dir = join(here, 'bls12-381');
  mkdirSync(dir, { recursive: true });
  all = await curveVectors();
} else {
  all = await allVectors();
}
for (const [name, v] of Object.entries(all)) {
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(v, null, 2)}\n`);
  console.log(`wrote ${join(dir, name)}.json`);
}
