/**
 * `npm run fuzz`: mutation fuzzing of every public decoder, sharded over cores.
 *
 *   npm run fuzz                         # 100,000 inputs per decoder, one shard per core
 *   npm run fuzz -- --inputs 2000        # a quicker run
 *   npm run fuzz -- --shards 4           # or FUZZ_SHARDS=4
 *   npm run fuzz -- --decoder Ciphertext # only decoders whose name contains this (comma list)
 *   npm run fuzz -- --exclude cpabe.     # skip decoders whose name contains this (comma list)
 *   npm run fuzz -- --minutes 30         # or FUZZ_MINUTES: stop after the round running at 30 min
 *   npm run fuzz -- --seed 0123456789abcdef --corpus fuzz/results/corpus-….json \
 *                   --decoder cpabe.Ciphertext.fromBytes --index 4711   # replay one input
 *
 * The runner builds a corpus of valid encodings (test/fuzz/corpus.ts), writes it to
 * fuzz/results/, draws a 64-bit seed from the CSPRNG (printed; `--seed`/FUZZ_SEED to
 * reuse), forks one child process per shard (test/fuzz/worker.ts; processes, not
 * threads, so `process.cpuUsage()` is the shard's own CPU time), merges their
 * statistics (decoders run round-robin, 1000 inputs at a time, so a time-boxed run covers
 * all of them about equally), prints the table and writes it as JSON (`--out`, default
 * fuzz/results/latest.json). Exit code 1 if any input failed the oracle.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init } from '../src/index.js';
import { buildCorpus, type Corpus } from '../test/fuzz/corpus.js';
import { decoders } from '../test/fuzz/decoders.js';
import { formatTable, merge, type RunReport } from '../test/fuzz/report.js';
import { freshSeed } from '../test/fuzz/rng.js';
import type { ShardResult } from '../test/fuzz/shard.js';

const here = dirname(fileURLToPath(import.meta.url));

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const inputs = Number(arg('inputs') ?? process.env.FUZZ_INPUTS ?? 100_000);
const shards = Number(arg('shards') ?? process.env.FUZZ_SHARDS ?? availableParallelism());
const seed = (arg('seed') ?? process.env.FUZZ_SEED ?? freshSeed()).toLowerCase();
const filter = arg('decoder');
const only = arg('index') === undefined ? undefined : Number(arg('index'));
const minutes = arg('minutes') ?? process.env.FUZZ_MINUTES;
const resultsDir = resolve(here, 'results');
const out = resolve(arg('out') ?? join(resultsDir, 'latest.json'));

if (!/^[0-9a-f]{16}$/.test(seed)) throw new Error('--seed must be 16 hex digits');
if (!Number.isSafeInteger(inputs) || inputs < 1) throw new Error('--inputs must be a positive integer');
if (!Number.isSafeInteger(shards) || shards < 1) throw new Error('--shards must be a positive integer');

mkdirSync(resultsDir, { recursive: true });
const t0 = Date.now();
let corpusPath = arg('corpus');
let corpus: Corpus;
if (corpusPath === undefined) {
  corpus = await buildCorpus();
  corpusPath = join(resultsDir, `corpus-${seed}.json`);
  writeFileSync(corpusPath, JSON.stringify(corpus));
} else {
  await init();
  corpus = JSON.parse(readFileSync(corpusPath, 'utf8')) as Corpus;
}
const wanted = filter?.split(',') ?? [''];
const excluded = arg('exclude')?.split(',') ?? [];
const names = decoders(corpus)
  .map((d) => d.name)
  .filter((n) => wanted.some((w) => n.includes(w)) && !excluded.some((x) => n.includes(x)));
if (names.length === 0) throw new Error(`no decoder matches ${filter}`);

const load0 = loadavg();
const deadline = minutes === undefined ? undefined : t0 + Number(minutes) * 60_000;
console.log(`bpds fuzz: seed ${seed}, ${inputs} inputs per decoder, ${names.length} decoders, ${shards} shards`);
console.log(`corpus ${corpusPath}; load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
if (only !== undefined) console.log(`replaying input ${only} only`);

const total = only === undefined ? inputs * names.length : names.length;
const done = new Array<number>(shards).fill(0);
const progress = setInterval(() => {
  const d = done.reduce((a, b) => a + b, 0);
  const s = (Date.now() - t0) / 1000;
  const eta = d > 0 ? ((total - d) * s) / d : Number.NaN;
  console.log(
    `  ${d}/${total} inputs, ${s.toFixed(0)} s, ~${Number.isFinite(eta) ? eta.toFixed(0) : '?'} s left, load ${loadavg()[0]?.toFixed(2)}`,
  );
}, 30_000);

const nShards = only === undefined ? shards : 1;
const meta = () => ({
  seed,
  inputsPerDecoder: only === undefined ? inputs : 1,
  shards: nShards,
  seconds: (Date.now() - t0) / 1000,
  corpus: corpusPath,
  loadBefore: load0,
  loadAfter: loadavg(),
  node: process.version,
  date: new Date().toISOString(),
});
const write = (report: RunReport) => {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
};
// Partial results: after every round of every shard, the results file gets the figures
// so far, so a run stopped early (or killed) still records what it covered.
const latest = new Map<number, ShardResult>();
const partialDone = (shard: number, p: ShardResult) => {
  latest.set(shard, p);
  write({ ...merge([...latest.values()], meta()), complete: false });
};

const results = await Promise.all(
  Array.from(
    { length: nShards },
    (_, shard) =>
      new Promise<ShardResult>((res, rej) => {
        const child = fork(join(here, '../test/fuzz/worker.ts'), [], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        let result: ShardResult | undefined;
        child.on('message', (m: { progress?: number; result?: ShardResult; partial?: ShardResult }) => {
          if (m.progress !== undefined) done[shard] = m.progress;
          if (m.result !== undefined) result = m.result;
          if (m.partial !== undefined) partialDone(shard, m.partial);
        });
        child.on('exit', (code, signal) =>
          res(
            result ?? {
              stats: [],
              failures: [
                {
                  decoder: '(shard)',
                  index: -1,
                  kind: 'untyped-error',
                  message: `shard ${shard} died (exit code ${code}, signal ${signal}) before reporting`,
                  input: '',
                },
              ],
            },
          ),
        );
        child.on('error', rej);
        child.send({ corpusPath, seed, inputs, shard, shards: nShards, names, only, deadline });
      }),
  ),
);
clearInterval(progress);

const merged = merge(results, meta());
const report: RunReport = { ...merged, complete: merged.decoders.every((d) => d.inputs >= merged.inputsPerDecoder) };
console.log(formatTable(report));
write(report);
console.log(`results written to ${out}`);
if (report.failures.length > 0) {
  console.log(
    `${report.failures.length} failing inputs (replay one with --seed ${seed} --corpus ${corpusPath} --decoder NAME --index N):`,
  );
  for (const f of report.failures.slice(0, 20))
    console.log(`  ${f.decoder} #${f.index} ${f.kind}: ${f.message.split('\n')[0]}`);
  process.exitCode = 1;
}
