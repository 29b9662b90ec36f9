// Writes the known-answer vectors (one JSON file per area) from compute.ts.
// Run: npx tsx test/vectors/kat/generate.ts   (only for a deliberate, versioned format change)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allVectors } from './compute.js';

const dir = dirname(fileURLToPath(import.meta.url));
const all = await allVectors();
for (const [name, v] of Object.entries(all)) {
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(v, null, 2)}\n`);
  console.log(`wrote ${name}.json`);
}
