/**
 * The peer run's report: the scheme table (OpenABE Waters11 vs bpds FAME vs bpds Waters11,
 * median ms of CPU time, with bpds ÷ OpenABE ratios) and the primitives table (RELIC vs
 * mcl-wasm), as markdown.
 */
import type { Machine } from '../../lib/machine.js';
import { ms } from '../../lib/report.js';
import type { Stat } from './alternate.js';
import type { RelicInfo } from './client.js';

export interface SchemeResult {
  op: string;
  n: number;
  openabe: Stat;
  fame: Stat;
  waters11: Stat;
}

export interface PrimitiveResult {
  op: string;
  /** RELIC as OpenABE builds it, median ms. */
  relic: number;
  /** mcl-wasm through bpds, median ms. */
  mcl: number;
}

export interface PeerReport {
  machine: Machine;
  loadAverageEnd: number;
  durationS: number;
  quick: boolean;
  openabe: { version: string | null; commit: string | null };
  relic: RelicInfo;
  schemes: readonly SchemeResult[];
  primitives: readonly PrimitiveResult[];
  notes: readonly string[];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `a / b` as `1.23x` (empty when b is not positive). */
export function ratio(a: number, b: number): string {
  return b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '';
}

/** The scheme table: one row per (operation, N). */
export function schemeTable(rows: readonly SchemeResult[]): string {
  return table(
    ['op', 'N', 'OpenABE Waters11', 'bpds FAME', 'bpds Waters11', 'FAME / OpenABE', 'Waters11 / OpenABE'],
    rows.map((r) => [
      r.op,
      String(r.n),
      ms(r.openabe.median),
      ms(r.fame.median),
      ms(r.waters11.median),
      ratio(r.fame.median, r.openabe.median),
      ratio(r.waters11.median, r.openabe.median),
    ]),
  );
}

/** The primitives table. */
export function primitivesTable(rows: readonly PrimitiveResult[]): string {
  return table(
    ['primitive', 'RELIC (OpenABE)', 'mcl-wasm (bpds)', 'mcl-wasm / RELIC'],
    rows.map((r) => [r.op, ms(r.relic), ms(r.mcl), ratio(r.mcl, r.relic)]),
  );
}

/** A note for a run on a machine busier than its core count (null when it was not). */
export function loadNote(start: number, end: number, cores: number): string | null {
  if (Math.max(start, end) <= cores) return null;
  return (
    `the machine was shared (1-minute load average ${start} to ${end} on ${cores} cores): absolute times are ` +
    'inflated by the sharing; compare the ratios, whose contenders took turns sample by sample'
  );
}

/** Spread of each scheme timing (min–max and samples), for the report's detail section. */
function spreadTable(rows: readonly SchemeResult[]): string {
  const cell = (s: Stat) => `${ms(s.min)}–${ms(s.max)} (${s.samples}×${s.batch}, wall ${ms(s.wallMedian)})`;
  return table(
    ['op', 'N', 'OpenABE Waters11', 'bpds FAME', 'bpds Waters11'],
    rows.map((r) => [r.op, String(r.n), cell(r.openabe), cell(r.fame), cell(r.waters11)]),
  );
}

/** The whole report. */
export function peerMarkdown(r: PeerReport): string {
  const m = r.machine;
  const oabe = [r.openabe.version ? `OpenABE ${r.openabe.version}` : 'OpenABE', r.openabe.commit ?? '']
    .filter((s) => s.length > 0)
    .join(' at ');
  return [
    `# bpds vs OpenABE (native peer), ${r.quick ? 'quick' : 'default'} mode`,
    '',
    `Run ${m.date}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, ` +
      `mcl-wasm ${m.mclWasm}, bpds ${m.bpds}; load average ${m.loadAverage} at the start, ` +
      `${r.loadAverageEnd} at the end; ${r.durationS.toFixed(0)} s.`,
    '',
    `Peer: ${oabe}, RELIC ${r.relic.relic} (ARITH=${r.relic.arith}, ARCH=${r.relic.arch}, ` +
      `WSIZE=${r.relic.wsize}, FP_PRIME=${r.relic.fp_prime}), compiled with our harness ` +
      '(bench/peers/openabe/harness.cpp).',
    '',
    'AND of N attributes, 1 KiB plaintext, CCA (OpenABE: its `CP-ABE` crypto context, Waters11 with ' +
      'its generic CCA transform and AES-GCM; bpds: `encrypt`/`decrypt` of bpds/cpabe). Median ms of ' +
      "CPU time (each process's own), the three taking turns sample by sample in one run.",
    '',
    schemeTable(r.schemes),
    '',
    'Primitives, same run (median ms; Miller loop per pair = (20-pair product - one final ' +
      'exponentiation) / 20 on both sides; G2 subgroup check: RELIC [r]Q = O by a sliding-window ' +
      "multiplication, mcl-wasm's `isValidOrder`):",
    '',
    primitivesTable(r.primitives),
    '',
    'Spread (min–max ms, samples × calls per sample, wall-clock median):',
    '',
    spreadTable(r.schemes),
    ...(r.notes.length > 0 ? ['', 'Notes:', '', ...r.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
