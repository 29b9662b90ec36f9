/**
 * Curves suite: every CP-ABE (FAME, Waters11, BSW07) and CES row on BN254 and on BLS12-381 side
 * by side in one run. mcl-wasm holds one curve per process, so each curve runs in its own child
 * (`bench/run.ts --curve c --suite primitives,cpabe,ces --rows-out FILE`, one after the other,
 * never concurrently), with this run's mode and filters. Each BLS12-381 row is recorded here
 * with its BN254 twin's time and size in the note, and `curves.md` (next to latest.md) holds the
 * side-by-side table with the BLS12-381/BN254 ratios.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ms } from '../lib/report.js';
import type { Context, Row, Suite } from '../lib/types.js';

const CURVES = ['bn254', 'bls12-381'] as const;
const CHILD_SUITES = ['primitives', 'cpabe', 'ces'];

function childArgs(ctx: Context, curve: string, out: string): string[] {
  const o = ctx.opts;
  const args = ['bench/run.ts', '--curve', curve, '--suite', CHILD_SUITES.join(','), '--rows-out', out];
  if (o.quick) args.push('--quick');
  if (o.schemes !== null) args.push('--scheme', o.schemes.join(','));
  if (o.ops !== null) args.push('--op', o.ops.join(','));
  args.push('--clock', o.clock);
  return args;
}

function runChild(args: string[], onLine: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (d: string) => {
      tail = (tail + d).slice(-4000);
      for (const l of d.split(/\r|\n/)) if (l.trim().length > 0) onLine(l.trim());
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${tail.slice(-500)}`))));
  });
}

const key = (r: Row) => `${r.suite}\u0000${r.scheme}\u0000${r.op}\u0000${r.n}\u0000${r.variant}`;
const kb = (b: number | null) => (b === null ? '' : b >= 10_000 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const x = (v: number | null) => (v === null ? '' : `${v.toFixed(2)}×`);

/** The side-by-side Markdown table: one line per row measured on both curves. */
export function curvesMarkdown(bn: readonly Row[], bls: readonly Row[]): string {
  const twin = new Map(bn.map((r) => [key(r), r]));
  const lines = [
    '| suite | scheme | op | n | variant | BN254 ms | BLS12-381 ms | time BLS/BN | BN254 size | BLS12-381 size | size BLS/BN |',
    '|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of bls) {
    const b = twin.get(key(r));
    if (b === undefined || r.median_ms === null) continue;
    lines.push(
      `| ${r.suite} | ${r.scheme} | ${r.op} | ${r.n ?? ''} | ${r.variant ?? ''} | ${ms(b.median_ms)} | ${ms(r.median_ms)} | ${x(ratio(r.median_ms, b.median_ms))} | ${kb(b.bytes)} | ${kb(r.bytes)} | ${x(ratio(r.bytes, b.bytes))} |`,
    );
  }
  const only = bls.filter((r) => !twin.has(key(r)) && r.median_ms !== null);
  if (only.length > 0) {
    lines.push('', 'Measured on BLS12-381 only:', '', '| suite | op | ms |', '|---|---|---:|');
    for (const r of only) lines.push(`| ${r.suite} | ${r.op} | ${ms(r.median_ms)} |`);
  }
  return lines.join('\n');
}

export const curvesSuite: Suite = {
  name: 'curves',
  title: 'CP-ABE and CES on BN254 and BLS12-381 (one child process per curve)',
  async run(ctx) {
    if (ctx.opts.rowsOut !== null) return; // a child never spawns children
    const dir = mkdtempSync(join(tmpdir(), 'bpds-bench-curves-'));
    try {
      const got: Record<string, Row[]> = {};
      for (const curve of CURVES) {
        const out = join(dir, `${curve}.json`);
        ctx.progress.line(`curves: ${curve} in a child process`);
        await runChild(childArgs(ctx, curve, out), (l) => ctx.progress.step(`${curve}: ${l.slice(0, 60)}`));
        got[curve] = (JSON.parse(readFileSync(out, 'utf8')) as { rows: Row[] }).rows;
      }
      const bn = got.bn254 ?? [];
      const bls = got['bls12-381'] ?? [];
      const twin = new Map(bn.map((r) => [key(r), r]));
      for (const r of bls) {
        const b = twin.get(key(r));
        if (b === undefined || r.median_ms === null) continue;
        ctx.record({
          suite: 'curves',
          scheme: r.scheme,
          op: `${r.suite}: ${r.op}`,
          n: r.n,
          variant: r.variant === null ? 'bls12-381' : `bls12-381 ${r.variant}`,
          median_ms: r.median_ms,
          min_ms: r.min_ms,
          max_ms: r.max_ms,
          samples: r.samples,
          wall_median_ms: r.wall_median_ms,
          bytes: r.bytes,
          note: `BN254 ${ms(b.median_ms)} ms${b.bytes === null ? '' : `, ${b.bytes} B`}; BLS/BN time ${x(ratio(r.median_ms, b.median_ms))}${b.bytes === null || r.bytes === null ? '' : `, size ${x(ratio(r.bytes, b.bytes))}`}`,
        });
      }
      if (ctx.opts.write) {
        const md = `# CP-ABE and CES on BN254 and BLS12-381\n\nOne run of \`npm run bench\`${ctx.opts.quick ? ' --quick' : ''}: each curve in its own child process, one after the other; medians by ${ctx.opts.clock === 'cpu' ? 'process CPU time' : 'wall clock'}. Sizes are what the operation produced (keys, ciphertexts, signatures).\n\n${curvesMarkdown(bn, bls)}\n`;
        mkdirSync(ctx.opts.outDir, { recursive: true });
        writeFileSync(join(ctx.opts.outDir, 'curves.md'), md);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
