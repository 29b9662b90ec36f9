/**
 * Outputs of a run: `latest.json` (machine info + one row per measurement),
 * `latest.md` (Markdown tables) and SVG charts of time against N.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from './machine.js';
import { PEER_FIGURES } from './peers.js';
import { storageCharts, storageSection } from './storage-report.js';
import { type Chart, lineChart, type Series } from './svg.js';
import type { Row } from './types.js';

export interface RunInfo {
  machine: Machine;
  mode: 'quick' | 'default';
  clock: 'cpu' | 'wall';
  args: string[];
  durationS: number;
  /** 1-minute load average when the run ended. */
  loadAverageEnd: number;
  notes: string[];
}

/** Milliseconds with three significant digits. */
export function ms(v: number | null): string {
  if (v === null) return '';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

const bytes = (b: number | null) => (b === null ? '' : b.toLocaleString('en-US'));
const ratio = (r: number | null) => (r === null ? '' : `${r.toFixed(2)}x`);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const SUITE_TITLES: Record<string, string> = {
  primitives: 'Primitives (the limit): mcl-wasm BN254 via src/pairing',
  cpabe: 'CP-ABE',
  ces: 'Content extraction signatures vs SD-JWT',
  records: 'Index records and ledger',
  e2e: 'End to end: one BPDS share',
};

/** A compact view of one suite: median ms per n, ratio to the limit in parentheses where there is one. */
function pivot(rows: Row[], suite: string, variant: string, label: (n: number) => string): string | null {
  const rs = rows.filter((r) => r.suite === suite && r.variant === variant && r.n !== null && r.median_ms !== null);
  if (rs.length === 0) return null;
  const ns = [...new Set(rs.map((r) => r.n!))].sort((a, b) => a - b);
  const keys = [...new Set(rs.map((r) => `${r.scheme}\u0000${r.op}`))];
  const body = keys.map((k) => {
    const [scheme, op] = k.split('\u0000') as [string, string];
    return [
      scheme,
      op,
      ...ns.map((n) => {
        const r = rs.find((x) => x.scheme === scheme && x.op === op && x.n === n);
        if (r === undefined) return '';
        return r.ratio === null ? ms(r.median_ms) : `${ms(r.median_ms)} (${ratio(r.ratio)})`;
      }),
    ];
  });
  return table(['scheme', 'op', ...ns.map(label)], body);
}

/** bpds at N = 100 (AND) beside the external reference figures of native peers. */
function peerTable(rows: Row[]): string | null {
  const at = (scheme: string, op: string) =>
    rows.find((r) => r.suite === 'cpabe' && r.variant === 'and' && r.n === 100 && r.scheme === scheme && r.op === op)
      ?.median_ms ?? null;
  const body: string[][] = [];
  for (const p of PEER_FIGURES) {
    const ours = [at(p.scheme, 'keygen'), at(p.scheme, 'encapsulate (CPA)'), at(p.scheme, 'decapsulate (CPA)')];
    const cca = [at(p.scheme, 'encrypt (CCA)'), at(p.scheme, 'decrypt (CCA)')];
    if (ours.every((v) => v === null)) continue;
    body.push([
      `${p.library} (external reference)`,
      p.backend,
      p.scheme,
      ...[p.keygen, p.encrypt, p.decryptCpa, p.decryptCca].map(ms),
      '',
    ]);
    body.push([
      'bpds (this run)',
      'TypeScript, mcl-wasm, BN254',
      p.scheme,
      ...ours.map(ms),
      ms(cca[1] ?? null),
      `CCA encrypt ${ms(cca[0] ?? null)}`,
    ]);
  }
  if (body.length === 0) return null;
  return table(
    ['library', 'backend', 'scheme', 'keygen', 'encrypt (KEM)', 'decrypt (KEM)', 'decrypt (CCA)', 'note'],
    body,
  );
}

export function markdown(rows: Row[], info: RunInfo): string {
  const m = info.machine;
  const parts: string[] = [
    '# bpds benchmark results',
    '',
    `Measured ${m.date} in ${info.mode} mode (${info.durationS.toFixed(0)} s): ${m.cpu}, ${m.cores} cores, ` +
      `${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, mcl-wasm ${m.mclWasm}, bpds ${m.bpds}; ` +
      `1-minute load average ${m.loadAverage} at the start, ${info.loadAverageEnd} at the end.`,
    '',
    `Times are per call in milliseconds of ${info.clock === 'cpu' ? 'process CPU time (user + system, all threads; `wall` is the wall-clock median)' : 'wall-clock time'}: ` +
      'median of the samples after warm-up, with min and max. ' +
      '`limit` is the counted group operations priced with this run\u2019s primitive costs; ' +
      '`ratio` = median / limit (see docs/benchmarks.md).',
  ];
  if (info.notes.length > 0) parts.push('', ...info.notes.map((n) => `- ${n}`));
  const cp = pivot(rows, 'cpabe', 'and', (n) => `N=${n}`);
  if (cp !== null) {
    parts.push('', '## CP-ABE at a glance (AND of N attributes, median ms, ratio to the limit)', '', cp);
  }
  const ces = pivot(rows, 'ces', 'quarter disclosed', (n) => `${n} fields`);
  if (ces !== null) {
    parts.push('', '## Content extraction signatures at a glance (a quarter disclosed, median ms)', '', ces);
  }
  const storage = storageSection(rows);
  if (storage !== null) parts.push('', storage);
  const peers = peerTable(rows);
  if (peers !== null) {
    parts.push(
      '',
      '## Side by side with native peers (AND of 100 attributes, median ms)',
      '',
      'Peer rows are external reference figures measured on this kind of 2-core machine (see docs/benchmarks.md), ' +
        'not runs of this harness; they are not re-measured here.',
      '',
      peers,
    );
  }
  for (const suite of [...new Set(rows.map((r) => r.suite))]) {
    const rs = rows.filter((r) => r.suite === suite);
    parts.push('', `## ${SUITE_TITLES[suite] ?? suite}`, '');
    parts.push(
      table(
        [
          'scheme',
          'op',
          'n',
          'variant',
          'median ms',
          'min ms',
          'max ms',
          'wall ms',
          'bytes',
          'limit ms',
          'ratio',
          'note',
        ],
        rs.map((r) => [
          r.scheme,
          r.op,
          r.n === null ? '' : String(r.n),
          r.variant ?? '',
          ms(r.median_ms),
          ms(r.min_ms),
          ms(r.max_ms),
          ms(r.wall_median_ms),
          bytes(r.bytes),
          ms(r.limit_ms),
          ratio(r.ratio),
          (r.note ?? '').replace(/\|/g, '\\|'),
        ]),
      ),
    );
  }
  const files = charts(rows).map((c) => c.file);
  if (files.length > 0) {
    parts.push('', '## Charts', ...files.flatMap((f) => ['', `![${f.replace(/\.svg$/, '')}](charts/${f})`]));
  }
  return `${parts.join('\n')}\n`;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Charts: per CP-ABE operation (AND policies, with dashed limits) and per CES operation, time against N. */
export function charts(rows: Row[]): { file: string; svg: string }[] {
  const out: { file: string; svg: string }[] = [];
  const groups: { suite: string; variant: string | null; xLabel: string; withLimit: boolean }[] = [
    { suite: 'cpabe', variant: 'and', xLabel: 'policy attributes N (AND)', withLimit: true },
    { suite: 'ces', variant: null, xLabel: 'record fields (a quarter disclosed)', withLimit: false },
    { suite: 'primitives', variant: null, xLabel: 'points / pairs', withLimit: false },
  ];
  for (const g of groups) {
    const rs = rows.filter(
      (r) => r.suite === g.suite && (g.variant === null || r.variant === g.variant) && r.n !== null && r.median_ms,
    );
    const ops = [...new Set(rs.map((r) => r.op))];
    for (const op of ops) {
      const ors = rs.filter((r) => r.op === op);
      const ns = new Set(ors.map((r) => r.n));
      if (ns.size < 2) continue;
      const schemes = [...new Set(ors.map((r) => r.scheme))];
      const series: Series[] = [];
      schemes.forEach((scheme, i) => {
        const srs = ors.filter((r) => r.scheme === scheme);
        series.push({ name: scheme, color: i, points: srs.map((r) => ({ x: r.n!, y: r.median_ms! })) });
        if (g.withLimit && srs.some((r) => r.limit_ms !== null)) {
          series.push({
            name: `${scheme} limit`,
            color: i,
            dashed: true,
            points: srs.filter((r) => r.limit_ms !== null).map((r) => ({ x: r.n!, y: r.limit_ms! })),
          });
        }
      });
      const chart: Chart = {
        title: `${g.suite === 'cpabe' ? 'CP-ABE' : g.suite === 'ces' ? 'CES' : 'mcl-wasm'}: ${op}`,
        xLabel: g.xLabel,
        yLabel: 'ms per call',
        xLog: true,
        yLog: true,
        series,
      };
      out.push({ file: `${g.suite}-${slug(op)}.svg`, svg: lineChart(chart) });
    }
  }
  out.push(...storageCharts(rows));
  return out;
}

/** Write latest.json, latest.md and the charts (old charts are removed first). */
export function writeOutputs(dir: string, rows: Row[], info: RunInfo): string[] {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  for (const f of readdirSync(join(dir, 'charts'))) if (f.endsWith('.svg')) rmSync(join(dir, 'charts', f));
  const written: string[] = [];
  const json = join(dir, 'latest.json');
  writeFileSync(json, `${JSON.stringify({ ...info, rows }, null, 2)}\n`);
  written.push(json);
  const md = join(dir, 'latest.md');
  writeFileSync(md, markdown(rows, info));
  written.push(md);
  for (const c of charts(rows)) {
    const p = join(dir, 'charts', c.file);
    writeFileSync(p, c.svg);
    written.push(p);
  }
  return written;
}
