/**
 * bpds benchmark harness: `npm run bench -- [--quick] [--suite s] [--scheme x] [--op y]`.
 *
 * One process, one machine: the primitives are measured first and price the
 * limit column of every scheme, then each suite runs (a suite whose module is
 * not there skips with a note). Writes bench/results/latest.{json,md} and
 * charts/*.svg (quick mode writes to bench/results/quick/, which git ignores).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { OpCount } from '../src/cpabe/scheme.js';
import { init } from '../src/pairing/index.js';
import { parseArgs, USAGE } from './lib/args.js';
import { price } from './lib/limit.js';
import { machine } from './lib/machine.js';
import { FULL, measurer, QUICK } from './lib/measure.js';
import { progress } from './lib/progress.js';
import { markdown, type RunInfo, writeOutputs } from './lib/report.js';
import type { Context, Options, Row, Suite } from './lib/types.js';
import { wantsPeer } from './peers/openabe/args.js';
import { armorSuite } from './suites/armor.js';
import { cesSuite } from './suites/ces.js';
import { cpabeSuite } from './suites/cpabe.js';
import { cpabeAdversarialSuite } from './suites/cpabe-adversarial.js';
import { curvesSuite } from './suites/curves.js';
import { e2eSuite } from './suites/e2e.js';
import { evmSuite } from './suites/evm.js';
import { bestOf, measurePrimitives, pricesOf, recordPrimitives } from './suites/primitives.js';
import { recordsSuite } from './suites/records.js';
import { storageSuite } from './suites/storage.js';
import { workersSuite } from './suites/workers.js';

const SUITES: readonly Suite[] = [
  cpabeSuite,
  cpabeAdversarialSuite,
  cesSuite,
  recordsSuite,
  e2eSuite,
  evmSuite,
  storageSuite,
  armorSuite,
  workersSuite,
  curvesSuite,
];
const ALL = ['primitives', ...SUITES.map((s) => s.name)];

async function main(): Promise<number> {
  // A native-peer run (`--peer openabe`) is its own mode: bench/peers/openabe/README.md.
  if (wantsPeer(process.argv.slice(2))) return (await import('./peers/openabe/run.js')).runPeer(process.argv.slice(2));
  let parsed: Options | 'help';
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (parsed.render !== null) {
    const saved = JSON.parse(readFileSync(parsed.render, 'utf8')) as RunInfo & { rows: Row[] };
    const { rows, ...info } = saved;
    const files = writeOutputs(parsed.outDir, rows, info);
    console.error(`re-rendered ${files.length} files to ${parsed.outDir}/ from ${parsed.render}`);
    return 0;
  }
  const opts: Options =
    parsed.quick && parsed.outDir === 'bench/results' ? { ...parsed, outDir: 'bench/results/quick' } : parsed;
  for (const s of opts.suites ?? []) {
    if (!ALL.includes(s)) {
      console.error(`unknown suite ${s} (known: ${ALL.join(', ')})`);
      return 2;
    }
  }
  const t0 = performance.now();
  const prog = progress();
  const m = measurer(opts.quick ? QUICK : FULL, opts.clock);
  const rows: Row[] = [];
  const notes: string[] = [];
  const wantsSuite = (name: string) => opts.suites === null || opts.suites.includes(name);
  const wants = (scheme: string, op?: string) =>
    (opts.schemes === null || opts.schemes.some((s) => scheme.toLowerCase().includes(s))) &&
    (op === undefined || opts.ops === null || opts.ops.some((o) => op.toLowerCase().startsWith(o)));
  const counts = new Map<Row, OpCount>();
  const record: Context['record'] = ({ count, ...r }) => {
    const row: Row = {
      n: null,
      variant: null,
      median_ms: null,
      min_ms: null,
      max_ms: null,
      samples: null,
      wall_median_ms: null,
      bytes: null,
      limit_ms: null,
      ratio: null,
      note: null,
      ...r,
    };
    if (count !== undefined && count !== null) counts.set(row, count);
    rows.push(row);
    return row;
  };
  const note = (text: string) => {
    notes.push(text);
    prog.line(`note: ${text}`);
  };

  const mach = machine();
  prog.line(
    `bpds bench (${opts.quick ? 'quick' : 'default'} mode): ${mach.cpu}, ${mach.cores} cores, Node ${mach.node}, mcl-wasm ${mach.mclWasm}`,
  );
  await init({ curve: opts.curve });
  // The primitives price every limit: measured before and after the suites (the lower
  // median of the two passes wins), then every counted row is priced.
  const firstPass = measurePrimitives(m, (label) => prog.step(label));
  const ctx: Context = { opts, measure: m, progress: prog, record, wants, note };
  const failed: string[] = [];
  for (const suite of SUITES) {
    if (!wantsSuite(suite.name)) continue;
    prog.line(`== ${suite.title}`);
    try {
      await suite.run(ctx);
    } catch (e) {
      // A missing module is a note (the suite returns); an exception is a real failure (a
      // wrong result, a crash): the other suites still run and write their results, then
      // the run exits non-zero so the CI smoke check reports it.
      failed.push(suite.name);
      note(`${suite.name} suite FAILED: ${(e as Error).message}`);
      console.error(e);
    }
  }
  const secondPass = measurePrimitives(m, (label) => prog.step(`${label} (second pass)`));
  const primitives = bestOf(firstPass, secondPass);
  const prices = pricesOf(primitives);
  const suiteRows = rows.splice(0, rows.length);
  if (wantsSuite('primitives')) recordPrimitives({ record, wants }, primitives);
  rows.push(...suiteRows);
  for (const row of rows) {
    const count = counts.get(row);
    if (count === undefined) continue;
    row.limit_ms = price(count, prices);
    if (row.limit_ms !== null && row.median_ms !== null && row.limit_ms > 0) row.ratio = row.median_ms / row.limit_ms;
  }
  prog.done();
  const durationS = (performance.now() - t0) / 1000;
  const info = {
    machine: mach,
    mode: opts.quick ? ('quick' as const) : ('default' as const),
    clock: opts.clock,
    args: process.argv.slice(2),
    durationS,
    loadAverageEnd: Math.round(loadavg()[0]! * 100) / 100,
    notes,
  };
  if (opts.rowsOut !== null) {
    writeFileSync(opts.rowsOut, JSON.stringify({ rows, info }));
  } else if (opts.write) {
    const files = writeOutputs(opts.outDir, rows, info);
    console.log(markdown(rows, info));
    console.error(`wrote ${files.length} files to ${opts.outDir}/ in ${durationS.toFixed(1)} s`);
  } else {
    console.log(markdown(rows, info));
  }
  if (failed.length > 0) {
    console.error(`bench: suites failed: ${failed.join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
