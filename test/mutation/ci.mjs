#!/usr/bin/env node
// The CI mutation gate (`npm run mutate:ci`, .ci/run): a fixed sample of mutants, drawn once from
// the per-folder runs and committed (test/mutation/sample.json), must all still be killed.
//
//   node test/mutation/ci.mjs                    run the sample (Stryker, concurrency 2, no checker)
//   node test/mutation/ci.mjs --make-sample N    draw N killed mutants from reports/mutation/*.json
//
// Each sample entry names a mutant by file, the exact source text it replaces, the replacement and
// the test files that killed it. At run time the text is looked up again near the recorded line (src/
// moves under other changes), Stryker mutates only those ranges and runs only those test files, and
// test/mutation/score.mjs --strict then fails the step if any mutant in the ranges survives without
// being listed as equivalent (or not compiling). An entry whose text is gone is reported; more than
// a quarter gone fails the step too (draw a new sample: the code moved on).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const samplePath = here('./sample.json');
const args = process.argv.slice(2);

/** 1-based line/column (report) to a string offset. */
function offsetOf(source, p) {
  const lines = source.split('\n');
  return lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
}
function positionOf(source, offset) {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}
/** Deterministic PRNG (mulberry32), so a sample can be redrawn identically from the same reports. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (args[0] === '--make-sample') {
  const n = Number(args[1] ?? 40);
  const folders = JSON.parse(readFileSync(here('./folders.json'), 'utf8'));
  const names = Object.keys(folders).filter(
    (k) => !k.startsWith('_') && existsSync(path.join(root, `reports/mutation/${k}.json`)),
  );
  const pool = [];
  for (const folder of names) {
    const report = JSON.parse(readFileSync(path.join(root, `reports/mutation/${folder}.json`), 'utf8'));
    const testFile = (id) =>
      report.testFiles && Object.entries(report.testFiles).find(([, t]) => t.tests.some((x) => x.id === id))?.[0];
    for (const [file, { source, mutants }] of Object.entries(report.files)) {
      const live = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
      for (const m of mutants) {
        if (m.status !== 'Killed' || !m.killedBy?.length) continue;
        const a = offsetOf(source, m.location.start);
        const b = offsetOf(source, m.location.end);
        // Skip ranges that contain a live mutant: the gate must pass on the tree the sample came from.
        if (live.some((s) => offsetOf(source, s.location.start) >= a && offsetOf(source, s.location.end) <= b))
          continue;
        if (b - a > 400) continue; // whole blocks: their range holds many mutants
        const tests = [...new Set(m.killedBy.map(testFile).filter(Boolean))].map((f) =>
          path.relative(root, path.resolve(root, f)),
        );
        if (tests.length === 0) continue;
        pool.push({
          folder,
          file,
          line: m.location.start.line,
          mutator: m.mutatorName,
          original: source.slice(a, b),
          replacement: m.replacement,
          tests,
        });
      }
    }
  }
  // Spread the sample over folders in proportion to their killed mutants, at least 3 each.
  const rand = prng(19);
  pool.sort(() => rand() - 0.5);
  const byFolder = {};
  for (const p of pool) {
    byFolder[p.folder] ??= [];
    byFolder[p.folder].push(p);
  }
  const picked = [];
  for (const [folder, list] of Object.entries(byFolder)) {
    const k = Math.max(3, Math.round((n * list.length) / pool.length));
    picked.push(...list.slice(0, k));
    console.log(`${folder}: ${Math.min(k, list.length)} of ${list.length} killed mutants`);
  }
  picked.sort((x, y) => (x.file === y.file ? x.line - y.line : x.file < y.file ? -1 : 1));
  writeFileSync(
    samplePath,
    `${JSON.stringify({ _comment: 'Drawn by `node test/mutation/ci.mjs --make-sample N` from the per-folder runs (killed mutants only, seed 19). Each must still be killed: `npm run mutate:ci`.', mutants: picked }, null, 1)}\n`,
  );
  spawnSync('npx', ['biome', 'format', '--write', samplePath], { cwd: root, stdio: 'inherit' });
  console.log(`wrote ${picked.length} mutants to test/mutation/sample.json`);
  process.exit(0);
}

const sample = JSON.parse(readFileSync(samplePath, 'utf8')).mutants;
const ranges = [];
const tests = new Set();
const missing = [];
for (const m of sample) {
  const abs = path.join(root, m.file);
  const source = existsSync(abs) ? readFileSync(abs, 'utf8') : '';
  // The occurrence of the original text nearest to the recorded line.
  let best = -1;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let i = source.indexOf(m.original); i >= 0 && m.original.length > 0; i = source.indexOf(m.original, i + 1)) {
    const d = Math.abs(positionOf(source, i).line - m.line);
    if (d < bestDist) [best, bestDist] = [i, d];
  }
  if (best < 0 || bestDist > 200) {
    missing.push(m);
    continue;
  }
  const s = positionOf(source, best);
  const e = positionOf(source, best + m.original.length);
  // Stryker's mutate ranges: 1-based lines, 0-based columns.
  ranges.push(`${m.file}:${s.line}:${s.column - 1}-${e.line}:${e.column - 1}`);
  for (const t of m.tests) tests.add(t);
}
for (const m of missing)
  console.log(
    `sample entry not found any more: ${m.file}:${m.line} ${m.mutator} ${JSON.stringify(m.original).slice(0, 60)}`,
  );
if (missing.length * 4 > sample.length) {
  console.error(
    `mutation gate: ${missing.length} of ${sample.length} sampled mutants no longer exist; redraw the sample (test/mutation/README.md)`,
  );
  process.exit(1);
}

const base = JSON.parse(readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const config = {
  ...base,
  mutate: ranges,
  checkers: [],
  incremental: false,
  concurrency: Number(process.env.BPDS_MUTATE_CONCURRENCY ?? 2),
  reporters: ['clear-text', 'json'],
  clearTextReporter: { ...base.clearTextReporter, reportMutants: false },
  jsonReporter: { fileName: 'reports/mutation/ci.json' },
};
mkdirSync(path.join(root, 'reports/mutation'), { recursive: true });
writeFileSync(path.join(root, 'reports/mutation/stryker.ci.config.json'), JSON.stringify(config, null, 2));
const started = Date.now();
const r = spawnSync(process.execPath, [here('./stryker.mjs'), 'run', 'reports/mutation/stryker.ci.config.json'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BPDS_MUTATE_TESTS: [...tests].join(',') },
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(
  `mutation gate: ${ranges.length} sampled mutants, ${tests.size} test files, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
const s = spawnSync(process.execPath, [here('./score.mjs'), 'reports/mutation/ci.json', '--strict'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(s.status ?? 1);
