#!/usr/bin/env node
// `npm run mutate:folder -- <folder> [stryker options]`: one folder of the mutation-testing scope
// (test/mutation/folders.json) with only its own test files, its own incremental file
// (test/mutation/incremental/<folder>.json) and its own JSON report (reports/mutation/<folder>.json).
// Extra arguments go to Stryker, e.g. `--concurrency 1`, `--force` (re-test every mutant),
// `--mutate 'src/internal/jcs.ts:40-60'` (a line range).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const folders = JSON.parse(readFileSync(new URL('./folders.json', import.meta.url), 'utf8'));
const args = process.argv.slice(2);
// --no-check: no TypeScript checker (mutants that do not compile then run as tests, see README).
const noCheck = args.includes('--no-check');
const [name, ...rest] = args.filter((a) => a !== '--no-check');
if (!name || !(name in folders) || name.startsWith('_')) {
  console.error(
    `usage: npm run mutate:folder -- <${Object.keys(folders)
      .filter((k) => !k.startsWith('_'))
      .join('|')}> [stryker options]`,
  );
  process.exit(2);
}
const { mutate, tests } = folders[name];
const base = JSON.parse(readFileSync(new URL('../../stryker.config.json', import.meta.url), 'utf8'));
const config = {
  ...base,
  mutate,
  incrementalFile: `test/mutation/incremental/${name}.json`,
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  ...(noCheck ? { checkers: [] } : {}),
};
mkdirSync(`${root}/reports/mutation`, { recursive: true });
const file = `reports/mutation/stryker.${name}.config.json`;
writeFileSync(`${root}/${file}`, JSON.stringify(config, null, 2));
const started = Date.now();
const r = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('./stryker.mjs', import.meta.url)), 'run', file, ...rest],
  { cwd: root, stdio: 'inherit', env: { ...process.env, BPDS_MUTATE_TESTS: tests.join(',') } },
);
console.log(`mutate:folder ${name}: ${((Date.now() - started) / 60000).toFixed(1)} min`);
process.exit(r.status ?? 1);
