/**
 * Storage suite (issue 15): MB/s and resident-memory growth of a record's round trip
 * (encrypt, store, fetch, decrypt) for 1 MiB, 64 MiB and 1 GiB records: raw WebCrypto
 * AES-256-GCM (one call, and 64 KiB calls pipelined) as the reference, whole-buffer
 * CP-ABE `encrypt`/`decrypt`, and streaming `encryptStream`/`decryptStream` (STREAM,
 * docs/storage.md), directly and through the memory, filesystem and S3 stores (s3rver in
 * its own process). Every case runs in a fresh child process so its RSS growth is its
 * own; times are wall clock (one run per case). `--quick` keeps the 1 MiB cases.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CaseArgs, CaseResult } from '../lib/storage-case.js';
import type { Context, Suite } from '../lib/types.js';

const MiB = 1024 * 1024;

interface Case extends Omit<CaseArgs, 's3Endpoint'> {
  label: string;
}

function child(args: string[], onLine?: (line: string) => void): { proc: ChildProcess; done: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8');
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  if (onLine !== undefined && proc.stdout !== null) createInterface({ input: proc.stdout }).on('line', onLine);
  else proc.stdout?.on('data', (d: string) => (out += d));
  const done = new Promise<string>((ok, fail) => {
    proc.on('exit', (code) =>
      code === 0 ? ok(out) : fail(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-800)}`)),
    );
  });
  return { proc, done };
}

async function startS3(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  let resolvePort: (p: number) => void = () => undefined;
  const port = new Promise<number>((r) => {
    resolvePort = r;
  });
  const c = child(['bench/lib/s3rver-child.ts'], (line) => resolvePort((JSON.parse(line) as { port: number }).port));
  c.done.catch(() => undefined);
  const p = await Promise.race([port, c.done.then(() => Number.NaN)]);
  if (!Number.isFinite(p)) throw new Error('s3rver child did not start');
  return {
    endpoint: `http://127.0.0.1:${p}`,
    stop: async () => {
      c.proc.kill('SIGTERM');
      await c.done.catch(() => undefined);
    },
  };
}

function cases(quick: boolean): Case[] {
  const sizes = quick ? [MiB] : [MiB, 64 * MiB, 1024 * MiB];
  const out: Case[] = [];
  for (const size of sizes) {
    // one 1 GiB WebCrypto call costs minutes of page faults on a shared machine; the pipelined
    // 64 KiB calls are the faster raw reference anyway
    if (size <= 64 * MiB) out.push({ label: 'raw AES-256-GCM, one call', mode: 'raw-whole', store: 'none', size });
    out.push({ label: 'raw AES-256-GCM, 64 KiB calls', mode: 'raw-segments', store: 'none', size });
    out.push({ label: 'whole-buffer', mode: 'whole', store: 'none', size });
    out.push({ label: 'streaming', mode: 'stream', store: 'none', size });
    if (size <= 64 * MiB) out.push({ label: 'whole-buffer', mode: 'whole', store: 'memory', size });
    if (size <= 64 * MiB) out.push({ label: 'streaming', mode: 'stream', store: 'memory', size });
    out.push({ label: 'whole-buffer', mode: 'whole', store: 'file', size: Math.min(size, 64 * MiB) });
    out.push({ label: 'streaming', mode: 'stream', store: 'file', size });
    if (size <= 64 * MiB) out.push({ label: 'whole-buffer', mode: 'whole', store: 's3', size });
    out.push({ label: 'streaming', mode: 'stream', store: 's3', size });
  }
  // one whole-buffer file case per size is enough
  return out.filter((c, i, all) => all.findIndex((d) => JSON.stringify(d) === JSON.stringify(c)) === i);
}

export const storageSuite: Suite = {
  name: 'storage',
  title: 'Storage: whole-buffer vs streaming, memory / file / S3',
  async run(ctx: Context) {
    const s3 = await startS3();
    try {
      const raw = new Map<number, number>();
      for (const c of cases(ctx.opts.quick)) {
        if (!ctx.wants(c.label, c.store)) continue;
        ctx.progress.step(`storage ${c.label} via ${c.store}, ${c.size / MiB} MiB`);
        const args: CaseArgs = { mode: c.mode, store: c.store, size: c.size, s3Endpoint: s3.endpoint };
        const out = await child(['--expose-gc', 'bench/lib/storage-case.ts', JSON.stringify(args)]).done;
        const r = JSON.parse(out.trim().split('\n').pop() as string) as CaseResult;
        const mbps = c.size / MiB / (r.ms / 1000);
        const growth = Math.max(0, r.peakRss - r.baselineRss);
        if (c.mode.startsWith('raw')) raw.set(c.size, Math.max(raw.get(c.size) ?? 0, mbps));
        const ref = raw.get(c.size);
        const vsRaw =
          c.mode === 'stream' && c.store === 'none' && ref !== undefined
            ? `, ${((100 * mbps) / ref).toFixed(0)} % of raw`
            : '';
        ctx.progress.line(
          `storage ${c.label} via ${c.store}, ${c.size / MiB} MiB: ${mbps.toFixed(1)} MiB/s, RSS +${(growth / MiB).toFixed(1)} MiB${vsRaw}`,
        );
        ctx.record({
          suite: 'storage',
          scheme: c.label,
          op: `round trip (${c.store === 'none' ? 'no store' : `${c.store} store`})`,
          n: c.size / MiB,
          variant: c.store,
          median_ms: r.ms,
          min_ms: r.ms,
          max_ms: r.ms,
          samples: 1,
          wall_median_ms: r.ms,
          bytes: growth,
          note: `${mbps.toFixed(1)} MiB/s, RSS +${(growth / MiB).toFixed(1)} MiB (peak ${(r.peakRss / MiB).toFixed(0)} MiB)${vsRaw}`,
        });
      }
    } finally {
      await s3.stop();
    }
  },
};
