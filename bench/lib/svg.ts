/**
 * A small SVG line-chart writer (no browser, no dependency): one chart of time
 * against N, one line per series, linear or log10 axes with decade ticks.
 */

export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
  /** Dashed line (used for the priced limit). */
  dashed?: boolean;
  /** Colour index; series sharing a scheme share a colour. */
  color?: number;
}

export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog: boolean;
  yLog: boolean;
  series: readonly Series[];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const W = 720;
const H = 400;
const M = { left: 70, right: 200, top: 40, bottom: 50 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
function fmt(v: number): string {
  if (v >= 1e6 || v < 0.001) return v.toExponential(0);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Number(v.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

interface Axis {
  map(v: number): number;
  ticks: number[];
}

function axis(values: number[], log: boolean, from: number, to: number): Axis {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (log) {
    const a = Math.floor(Math.log10(lo));
    let b = Math.ceil(Math.log10(hi));
    if (b === a) b = a + 1;
    const ticks: number[] = [];
    for (let e = a; e <= b; e++) ticks.push(10 ** e);
    // Add 2x and 5x ticks when the range spans few decades.
    if (b - a <= 2) {
      for (let e = a; e < b; e++) ticks.push(2 * 10 ** e, 5 * 10 ** e);
      ticks.sort((x, y) => x - y);
    }
    return { map: (v) => from + ((Math.log10(v) - a) / (b - a)) * (to - from), ticks };
  }
  if (lo > 0) lo = 0;
  if (hi === lo) hi = lo + 1;
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(v);
  return { map: (v) => from + ((v - lo) / (hi - lo)) * (to - from), ticks };
}

/** Render a chart as a standalone SVG document. */
export function lineChart(c: Chart): string {
  const pts = c.series.flatMap((s) => s.points).filter((p) => (!c.xLog || p.x > 0) && (!c.yLog || p.y > 0));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="22" font-size="15" font-weight="600">${esc(c.title)}</text>`,
  );
  if (pts.length === 0) {
    out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text></svg>`);
    return out.join('\n');
  }
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  const y1 = M.top;
  const X = axis(
    pts.map((p) => p.x),
    c.xLog,
    x0,
    x1,
  );
  const Y = axis(
    pts.map((p) => p.y),
    c.yLog,
    y0,
    y1,
  );
  for (const t of Y.ticks) {
    const y = Y.map(t).toFixed(1);
    out.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x0 - 6}" y="${y}" dy="4" text-anchor="end" fill="#444">${fmt(t)}</text>`);
  }
  const xTicks = c.xLog ? [...new Set(pts.map((p) => p.x))].sort((a, b) => a - b) : X.ticks;
  for (const t of xTicks) {
    const x = X.map(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y1}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${y0 + 16}" text-anchor="middle" fill="#444">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#888"/>`);
  out.push(
    `<text x="${(x0 + x1) / 2}" y="${H - 12}" text-anchor="middle">${esc(c.xLabel)}${c.xLog ? ' (log)' : ''}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}${c.yLog ? ' (log)' : ''}</text>`,
  );
  c.series.forEach((s, i) => {
    const color = PALETTE[(s.color ?? i) % PALETTE.length]!;
    const ps = s.points
      .filter((p) => (!c.xLog || p.x > 0) && (!c.yLog || p.y > 0))
      .sort((a, b) => a.x - b.x)
      .map((p) => `${X.map(p.x).toFixed(1)},${Y.map(p.y).toFixed(1)}`);
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    if (ps.length > 1) {
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${ps.join(' ')}"/>`);
    }
    if (!s.dashed) {
      for (const p of ps) {
        const [x, y] = p.split(',');
        out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${color}"/>`);
      }
    }
    const ly = M.top + 10 + i * 18;
    out.push(
      `<line x1="${x1 + 12}" y1="${ly}" x2="${x1 + 36}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${x1 + 42}" y="${ly}" dy="4">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
