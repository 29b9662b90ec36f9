/**
 * Merging shard statistics into one run report, and the table `npm run fuzz` prints.
 */
import type { DecoderStats, Failure, ShardResult } from './shard.js';

export interface RunMeta {
  seed: string;
  inputsPerDecoder: number;
  shards: number;
  /** Wall-clock seconds of the whole run, corpus included. */
  seconds: number;
  corpus: string;
  loadBefore: number[];
  loadAfter: number[];
  node: string;
  date: string;
}

export interface RunReport extends RunMeta {
  decoders: DecoderStats[];
  failures: Failure[];
  /** False while a run is in progress or when it stopped at its deadline before `inputsPerDecoder`. */
  complete?: boolean;
}

/** Sum the shards' statistics per decoder (in first-seen order). */
export function merge(results: readonly ShardResult[], meta: RunMeta): RunReport {
  const byName = new Map<string, DecoderStats>();
  for (const r of results) {
    for (const s of r.stats) {
      const m = byName.get(s.decoder);
      if (m === undefined) {
        byName.set(s.decoder, { ...s, verdicts: { ...s.verdicts }, rejected: { ...s.rejected } });
        continue;
      }
      m.inputs += s.inputs;
      m.accepted += s.accepted;
      m.falseAccepts += s.falseAccepts;
      m.failures += s.failures;
      m.cpuSeconds += s.cpuSeconds;
      for (const k of Object.keys(s.verdicts) as (keyof typeof s.verdicts)[]) m.verdicts[k] += s.verdicts[k];
      for (const [k, v] of Object.entries(s.rejected)) m.rejected[k] = (m.rejected[k] ?? 0) + v;
      if (s.slowestMs > m.slowestMs) {
        m.slowestMs = s.slowestMs;
        m.slowestIndex = s.slowestIndex;
      }
      m.slowestCheckMs = Math.max(m.slowestCheckMs, s.slowestCheckMs);
    }
  }
  return { ...meta, decoders: [...byName.values()], failures: results.flatMap((r) => r.failures) };
}

const CODE_SHORT: Record<string, string> = {
  ERR_INVALID_ENCODING: 'ENC',
  ERR_INVALID_ARGUMENT: 'ARG',
  ERR_POLICY_SYNTAX: 'POL',
  ERR_LEDGER: 'LEDGER',
};

/** A Markdown table: decoder, inputs, accepted, rejected by code, false accepts, failures, slowest ms. */
export function formatTable(r: RunReport): string {
  const head =
    '| decoder | inputs | accepted (orig/other/equiv) | rejected by code | false accepts | failures | slowest decode ms (#input) | slowest check ms | CPU s |';
  const rule = '|---|---:|---|---|---:|---:|---:|---:|---:|';
  const rows = r.decoders.map((s) => {
    const rej = Object.entries(s.rejected)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${CODE_SHORT[k] ?? k} ${v}`)
      .join(', ');
    const v = s.verdicts;
    return `| ${s.decoder} | ${s.inputs} | ${s.accepted} (${v.original}/${v.other}/${v.equivalent}) | ${rej} | ${s.falseAccepts} | ${s.failures} | ${s.slowestMs.toFixed(1)} (#${s.slowestIndex}) | ${s.slowestCheckMs.toFixed(1)} | ${s.cpuSeconds.toFixed(0)} |`;
  });
  const total = r.decoders.reduce((a, s) => a + s.inputs, 0);
  return [
    `seed ${r.seed}; ${r.inputsPerDecoder} inputs per decoder asked, ${total} run on ${r.shards} shards in ${(r.seconds / 60).toFixed(1)} min; load ${r.loadBefore.map((x) => x.toFixed(1)).join('/')} -> ${r.loadAfter.map((x) => x.toFixed(1)).join('/')}`,
    '',
    head,
    rule,
    ...rows,
  ].join('\n');
}
