/**
 * Refresh the "The committed run" section of docs/benchmarks.md from
 * bench/results/latest.json (after `npm run bench`): `npx tsx bench/update-docs.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PEER_FIGURES } from './lib/peers.js';
import { ms } from './lib/report.js';

type Row = {
  suite: string;
  scheme: string;
  op: string;
  n: number | null;
  variant: string | null;
  median_ms: number | null;
  wall_median_ms: number | null;
  bytes: number | null;
  ratio: number | null;
  note: string | null;
};
const j = JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as {
  machine: Record<string, string | number>;
  clock: string;
  durationS: number;
  loadAverageEnd: number;
  rows: Row[];
};
const r = (suite: string, scheme: string, op: string, n: number | null, variant: string | null = null) =>
  j.rows.find(
    (x) =>
      x.suite === suite &&
      x.scheme === scheme &&
      x.op === op &&
      x.n === n &&
      (variant === null || x.variant === variant),
  );
const m = j.machine;
const out: string[] = [];
out.push(
  `Measured ${String(m.date).slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` (default mode, ${j.durationS.toFixed(0)} s) on ${m.cpu} (${m.cores} vCPUs, ${m.memoryGiB} GiB), ${m.platform}, Node ${m.node}, mcl-wasm ${m.mclWasm}, clock: process CPU time. The machine is shared with other jobs (1-minute load average ${m.loadAverage} at the start, ${j.loadAverageEnd} at the end), which is why CPU time is the default clock; the wall-clock medians are beside the CPU medians in [\`bench/results/latest.md\`](../bench/results/latest.md).`,
);
out.push('');
out.push('AND of 100 attributes, median ms (bpds: this harness; peers: external reference figures, see above):');
out.push('');
out.push('| | scheme | keygen | encrypt (KEM) | decrypt (KEM) | encrypt (CCA, 1 KiB) | decrypt (CCA) |');
out.push('|---|---|---|---|---|---|---|');
for (const p of PEER_FIGURES) {
  const g = (op: string) => ms(r('cpabe', p.scheme, op, 100, 'and')?.median_ms ?? null);
  out.push(
    `| bpds (TypeScript + mcl-wasm) | ${p.scheme} | ${g('keygen')} | ${g('encapsulate (CPA)')} | ${g('decapsulate (CPA)')} | ${g('encrypt (CCA)')} | ${g('decrypt (CCA)')} |`,
  );
  out.push(
    `| ${p.library} (${p.backend}), external | ${p.scheme} | ${p.keygen} | ${p.encrypt} | ${p.decryptCpa} | – | ${p.decryptCca ?? '–'} |`,
  );
}
out.push('');
const f = (x: Row | undefined) => (x ? ms(x.median_ms) : '–');
const fame1 = r('cpabe', 'fame', 'decapsulate (CPA)', 1, 'and'),
  fame100 = r('cpabe', 'fame', 'decapsulate (CPA)', 100, 'and');
out.push('Highlights of the run:');
out.push('');
out.push(
  `- Primitives: pairing ${f(r('primitives', 'mcl-wasm', 'pairing', null))} ms, Miller loop ${f(r('primitives', 'mcl-wasm', 'Miller loop', null))}, final exponentiation ${f(r('primitives', 'mcl-wasm', 'final exponentiation', null))}, 6-pair multi-pairing ${f(r('primitives', 'mcl-wasm', 'multi-pairing', 6))}, G1 mul ${f(r('primitives', 'mcl-wasm', 'G1 mul', null))}, G2 mul ${f(r('primitives', 'mcl-wasm', 'G2 mul', null))}, GT pow ${f(r('primitives', 'mcl-wasm', 'GT pow', null))}, hash to G2 ${f(r('primitives', 'mcl-wasm', 'hash to G2', null))}.`,
);
out.push(
  `- FAME decapsulation grows slowly with the policy (6 pairings whatever N; per row only point decoding and additions): ${f(fame1)} ms at N = 1, ${f(fame100)} ms at N = 100, ratio ${fame100?.ratio?.toFixed(2)}x to its limit (6 Miller-loop pairs, one final exponentiation, the point decodes). Waters11 and BSW07 grow linearly (${f(r('cpabe', 'waters11', 'decapsulate (CPA)', 100, 'and'))} and ${f(r('cpabe', 'bsw07', 'decapsulate (CPA)', 100, 'and'))} ms at N = 100).`,
);
const cv = (op: string, n: number) => r('ces', 'commit-vector', op, n);
const sd = (op: string, n: number) => r('ces', '@sd-jwt/core', op, n);
const sum = (a?: Row, b?: Row) => (a?.median_ms ?? 0) + (b?.median_ms ?? 0);
out.push(
  `- Content extraction signatures, 256 fields, a quarter disclosed: commit-vector sign + verify ${ms(sum(cv('sign', 256), cv('verify', 256)))} ms against ${ms(sum(sd('sign', 256), sd('verify', 256)))} ms for \`@sd-jwt/core\` issue + verify (ES256) in the same run; presentation ${cv('extract', 256)?.bytes?.toLocaleString('en-US')} bytes against ${sd('extract', 256)?.bytes?.toLocaleString('en-US')}; the aggregate scheme's verification costs ${f(r('ces', 'aggregate', 'verify', 256))} ms.`,
);
const led = r('records', 'MemoryLedger', 'submit publishRecord', 1000),
  reg = r('records', 'MemoryLedger', 'submit registerPatient', 1000);
out.push(
  `- Index records: \`recordDigest\` ${f(r('records', 'bpds/index-record', 'canonical hash', null))} ms against ${f(r('records', 'canonicalize', 'canonical hash', null))} ms for \`canonicalize\` + SHA-256 (which validates nothing). MemoryLedger: ${reg ? Math.round(1000 / reg.median_ms!) : '–'} registrations/s and ${led ? Math.round(1000 / led.median_ms!) : '–'} index-record publications/s of CPU time with signature verification (${reg ? Math.round(1000 / reg.wall_median_ms!) : '–'} and ${led ? Math.round(1000 / led.wall_median_ms!) : '–'} per second of wall-clock time: verification runs on the thread pool, in parallel with the main thread).`,
);
out.push(
  `- End to end (FHIR Bundle of 256 fields, FAME): hospital publish ${f(r('e2e', 'fame', 'hospital publish', 256))} ms, requester access (request, fetch, decrypt, verify) ${f(r('e2e', 'fame', 'requester access', 256))} ms, full share ${f(r('e2e', 'fame', 'full share', 256))} ms.`,
);
const text = out.join('\n');
const p = 'docs/benchmarks.md';
const d = readFileSync(p, 'utf8');
const a = d.indexOf('<!-- committed-run:start -->'),
  b = d.indexOf('<!-- committed-run:end -->');
writeFileSync(p, `${d.slice(0, a)}<!-- committed-run:start -->\n${text}\n${d.slice(b)}`);
console.log(text);
