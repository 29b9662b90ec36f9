/**
 * The storage suite's report: a table of throughput and resident-memory growth per case
 * and record size, and two charts (MiB/s and RSS growth against the record size).
 */
import { type Chart, lineChart, type Series } from './svg.js';
import type { Row } from './types.js';

const MiB = 1024 * 1024;
const mibps = (r: Row) => (r.n as number) / ((r.median_ms as number) / 1000);
const key = (r: Row) => `${r.scheme} via ${r.variant === 'none' ? 'no store' : `${r.variant} store`}`;

/** Markdown: one line per case, one column per record size. */
export function storageSection(rows: Row[]): string | null {
  const rs = rows.filter((r) => r.suite === 'storage' && r.n !== null && r.median_ms);
  if (rs.length === 0) return null;
  const ns = [...new Set(rs.map((r) => r.n as number))].sort((a, b) => a - b);
  const keys = [...new Set(rs.map(key))];
  const label = (n: number) => (n >= 1024 ? `${n / 1024} GiB` : `${n} MiB`);
  const lines = [
    `| case | ${ns.map(label).join(' | ')} |`,
    `| --- | ${ns.map(() => '---').join(' | ')} |`,
    ...keys.map((k) => {
      const cells = ns.map((n) => {
        const r = rs.find((x) => key(x) === k && x.n === n);
        return r === undefined ? '' : `${mibps(r).toFixed(0)} MiB/s, +${((r.bytes ?? 0) / MiB).toFixed(0)} MiB`;
      });
      return `| ${k} | ${cells.join(' | ')} |`;
    }),
  ];
  return [
    '## Storage at a glance (round trip MiB/s, resident memory growth)',
    '',
    'Round trip = encrypt, store, fetch, decrypt, one run per case in a fresh process (wall clock); ' +
      'memory = peak RSS during the case minus RSS after set-up and warm-up.',
    '',
    ...lines,
  ].join('\n');
}

/** Two charts: throughput and RSS growth against the record size. */
export function storageCharts(rows: Row[]): { file: string; svg: string }[] {
  const rs = rows.filter((r) => r.suite === 'storage' && r.n !== null && r.median_ms);
  const keys = [...new Set(rs.map(key))];
  if (new Set(rs.map((r) => r.n)).size < 2) return [];
  const series = (y: (r: Row) => number): Series[] =>
    keys.map((k, i) => ({
      name: k.replace('raw AES-256-GCM', 'raw GCM'),
      color: i,
      dashed: k.startsWith('raw'),
      points: rs.filter((r) => key(r) === k).map((r) => ({ x: r.n as number, y: Math.max(y(r), 0.1) })),
    }));
  const chart = (title: string, yLabel: string, s: Series[]): Chart => ({
    title,
    xLabel: 'record size (MiB)',
    yLabel,
    xLog: true,
    yLog: true,
    series: s,
  });
  return [
    { file: 'storage-throughput.svg', svg: lineChart(chart('Storage: round trip throughput', 'MiB/s', series(mibps))) },
    {
      file: 'storage-rss-growth.svg',
      svg: lineChart(
        chart(
          'Storage: resident memory growth',
          'MiB',
          series((r) => (r.bytes ?? 0) / MiB),
        ),
      ),
    },
  ];
}
