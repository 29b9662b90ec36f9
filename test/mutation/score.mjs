#!/usr/bin/env node
// Scores Stryker JSON reports (reports/mutation/<folder>.json) against the triage in
// test/mutation/equivalent.json, and lists every survivor that is neither killed nor triaged.
//
//   node test/mutation/score.mjs [folder|report.json ...] [--strict]
//
// For each surviving or uncovered mutant:
// 1. Does it type-check? The mutation runs skip Stryker's TypeScript checker (it was the
//    bottleneck: ~3 mutants/min against ~45 without it on the shared 2-core machine), so the
//    mutants still alive are type-checked here, one by one, with the TypeScript language service
//    on tsconfig.mutate.json (src only). A mutant that does not compile cannot ship; it counts as a
//    compile error, as Stryker's checker would have counted it.
// 2. Is it listed in equivalent.json (file, line, mutator, replacement, reason)?
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), compile errors and
// listed equivalents left out. `--strict` exits 1 when any survivor is neither (the CI gate).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const targets = args.filter((a) => !a.startsWith('--'));
const folders = JSON.parse(readFileSync(new URL('./folders.json', import.meta.url), 'utf8'));
const reports = (targets.length > 0 ? targets : Object.keys(folders).filter((k) => !k.startsWith('_')))
  .map((t) => (t.endsWith('.json') ? t : `reports/mutation/${t}.json`))
  .filter((f) => existsSync(path.resolve(root, f)) || (targets.length > 0 && fail(`no report ${f}`)));
function fail(msg) {
  console.error(msg);
  process.exit(2);
}

const equivalents = JSON.parse(readFileSync(new URL('./equivalent.json', import.meta.url), 'utf8')).mutants;
const key = (m) => `${m.file}:${m.line}:${m.mutator}:${m.replacement}`;
const listed = new Map(equivalents.map((e) => [key(e), e]));

// The TypeScript language service over src (tsconfig.mutate.json), with one file overridable.
const ts = require('typescript');
const cfgPath = path.join(root, 'tsconfig.mutate.json');
const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(cfgPath, ts.sys.readFile).config, ts.sys, root);
const overrides = new Map();
const versions = new Map();
const service = ts.createLanguageService(
  {
    getScriptFileNames: () => cfg.fileNames,
    getScriptVersion: (f) => String(versions.get(f) ?? 0),
    getScriptSnapshot: (f) => {
      const text = overrides.get(f) ?? (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => cfg.options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: (f) => overrides.get(f) ?? ts.sys.readFile(f),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  },
  ts.createDocumentRegistry(),
);
/** Diagnostics of `file` with `text` in place of its contents. */
function diagnostics(file, text) {
  const abs = path.join(root, file);
  if (text === undefined) overrides.delete(abs);
  else overrides.set(abs, text);
  versions.set(abs, (versions.get(abs) ?? 0) + 1);
  return [...service.getSyntacticDiagnostics(abs), ...service.getSemanticDiagnostics(abs)];
}
/** The source with one mutant applied (report locations: 1-based lines and columns, end exclusive). */
function applyMutant(source, m) {
  const lines = source.split('\n');
  const offset = (p) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return source.slice(0, offset(m.location.start)) + m.replacement + source.slice(offset(m.location.end));
}

let failed = false;
const rows = [];
for (const rel of reports) {
  const report = JSON.parse(readFileSync(path.resolve(root, rel), 'utf8'));
  const c = { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, compile: 0, equivalent: 0, ignored: 0 };
  const open = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const current = existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), 'utf8') : undefined;
    const stale = current !== source;
    const baseErrors = stale ? 0 : diagnostics(file, undefined).length;
    for (const m of mutants) {
      c.mutants++;
      const s = m.status;
      if (s === 'Killed') c.killed++;
      else if (s === 'Timeout') c.timeout++;
      else if (s === 'CompileError' || s === 'RuntimeError') c.compile++;
      else if (s === 'Ignored') c.ignored++;
      else if (s === 'Survived' || s === 'NoCoverage') {
        const line = m.location.start.line;
        const id = { file, line, mutator: m.mutatorName, replacement: m.replacement };
        if (!stale && diagnostics(file, applyMutant(source, m)).length > baseErrors) {
          c.compile++;
        } else if (listed.has(key(id))) {
          c.equivalent++;
        } else {
          if (s === 'Survived') c.survived++;
          else c.noCoverage++;
          open.push({ ...id, status: s, stale });
        }
      }
    }
    if (!stale) diagnostics(file, undefined);
  }
  const detected = c.killed + c.timeout;
  const valid = detected + c.survived + c.noCoverage;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  rows.push({ report: rel, ...c, score: score.toFixed(1) });
  if (open.length > 0) {
    console.log(`\n${rel}: ${open.length} survivor(s) neither killed nor listed in test/mutation/equivalent.json`);
    for (const o of open) {
      console.log(
        `  ${o.file}:${o.line} ${o.status} ${o.mutator} -> ${JSON.stringify(o.replacement).slice(0, 100)}${o.stale ? ' (source changed since the run)' : ''}`,
      );
    }
    failed = true;
  }
}
console.log();
console.table(rows);
if (strict && failed) {
  console.error('mutation gate: surviving mutants that are neither killed nor listed as equivalent (above)');
  process.exit(1);
}
