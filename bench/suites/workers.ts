/**
 * Worker-pool suite (bpds/workers): how the pool scales with its size, as ratios from one
 * run. Wall-clock time (process CPU time would count every worker's thread and hide the
 * parallelism). Configurations are interleaved round by round (the synchronous API, then a
 * pool of 1, 2, ... up to the machine's logical CPUs, at most 8), so load drift on a shared
 * machine hits them alike; each figure is the median over the rounds.
 *
 * - one Waters11 CCA decryption at N = 100 (AND of 100 attributes): latency, split across
 *   the pool (Miller loops and G2 subgroup checks), ratio to the synchronous API;
 * - bulk Waters11 encryption, decryption and keygen at N = 10 (many records, many keys):
 *   a batch of 4 x (largest pool) items per round, time per item and throughput, ratio to
 *   a pool of one worker.
 *
 * Also writes bench/results/workers.md (quick mode: bench/results/quick/workers.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { load } from '../lib/load.js';
import { median } from '../lib/measure.js';
import type { Context, Suite } from '../lib/types.js';

interface Key {
  toBytes(): Uint8Array;
}
interface CpabeApi {
  setup(o: { scheme: string }): { publicKey: Key; masterKey: Key };
  keygen(mk: Key, attributes: string[]): Key;
  encrypt(pk: Key, policy: string, pt: Uint8Array): Promise<Uint8Array>;
  decrypt(sk: Key, ct: Uint8Array): Promise<Uint8Array>;
}
interface Pool {
  readonly size: number;
  ready(): Promise<void>;
  close(): Promise<void>;
  encrypt(pk: Key, policy: string, pt: Uint8Array): Promise<Uint8Array>;
  decrypt(sk: Key, ct: Uint8Array): Promise<Uint8Array>;
  keygen(mk: Key, attributes: string[]): Promise<Key>;
}
interface WorkersApi {
  createWorkerPool(o: { size: number }): Pool;
}

const attrs = (n: number) => Array.from({ length: n }, (_, i) => `att${i}`);
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

async function wall(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export const workersSuite: Suite = {
  name: 'workers',
  title: 'Worker pool (bpds/workers): scaling with the pool size, wall clock',
  async run(ctx: Context): Promise<void> {
    const cp = await load<CpabeApi>('src/cpabe/index.js', ['setup', 'keygen', 'encrypt', 'decrypt']);
    const wk = await load<WorkersApi>('src/workers/index.js', ['createWorkerPool']);
    if (!cp.ok) return ctx.note(`workers: skipped: ${cp.reason}`);
    if (!wk.ok) return ctx.note(`workers: skipped: ${wk.reason}`);
    if (!ctx.wants('waters11')) return;
    const { setup, keygen, encrypt, decrypt } = cp.mod;
    const cores = availableParallelism();
    const maxSize = Math.min(cores, 8);
    const sizes = Array.from({ length: maxSize }, (_, i) => i + 1);
    const rounds = ctx.opts.quick ? 2 : 15;
    const load0 = loadavg()[0] ?? 0;
    ctx.progress.step(`workers: starting pools of ${sizes.join(', ')}`);
    const pools = sizes.map((size) => wk.mod.createWorkerPool({ size }));
    try {
      await Promise.all(pools.map((p) => p.ready()));
      const { publicKey, masterKey } = setup({ scheme: 'waters11' });
      const pt = new Uint8Array(1024).fill(7);
      const lines: string[] = [];

      // 1. One decryption at N = 100: latency.
      const N = ctx.opts.quick ? 20 : 100;
      const sk = keygen(masterKey, attrs(N));
      const ct = await encrypt(publicKey, attrs(N).join(' and '), pt);
      const configs: Array<{ label: string; run: () => Promise<Uint8Array> }> = [
        { label: 'sync', run: () => decrypt(sk, ct) },
        ...pools.map((p) => ({ label: `pool ${p.size}`, run: () => p.decrypt(sk, ct) })),
      ];
      for (const c of configs) if (!equal(await c.run(), pt)) throw new Error(`workers: ${c.label} decrypted wrongly`);
      const times = new Map<string, number[]>(configs.map((c) => [c.label, []]));
      for (let r = 0; r < rounds; r++) {
        ctx.progress.step(`workers: decrypt N=${N}, round ${r + 1}/${rounds}`);
        for (const c of configs) times.get(c.label)?.push(await wall(c.run));
      }
      const syncMs = median(times.get('sync') as number[]);
      lines.push(
        `## One Waters11 CCA decryption, AND of ${N} attributes (1 KiB), wall ms, median of ${rounds} rounds`,
        '',
        '| configuration | median ms | min ms | speedup vs sync |',
        '|---|---|---|---|',
      );
      for (const c of configs) {
        const ts = times.get(c.label) as number[];
        const med = median(ts);
        const speedup = syncMs / med;
        lines.push(`| ${c.label} | ${med.toFixed(1)} | ${Math.min(...ts).toFixed(1)} | ${speedup.toFixed(2)}× |`);
        ctx.record({
          suite: 'workers',
          scheme: 'waters11',
          op: 'decrypt (CCA)',
          n: N,
          variant: c.label,
          median_ms: med,
          min_ms: Math.min(...ts),
          max_ms: Math.max(...ts),
          samples: ts.length,
          wall_median_ms: med,
          note: `${speedup.toFixed(2)}x vs sync (wall)`,
        });
      }

      // 2. Bulk: many records, many keys.
      const n = 10;
      const batch = 4 * maxSize;
      const policy = attrs(n).join(' and ');
      const bulkSk = keygen(masterKey, attrs(n));
      const records = Array.from({ length: batch }, (_, i) => new Uint8Array(1024).fill(i));
      const bulkCts = await Promise.all(records.map((r) => encrypt(publicKey, policy, r)));
      const bulk: Array<{ op: string; run: (p: Pool) => Promise<unknown> }> = [
        {
          op: 'bulk encrypt (CCA, 1 KiB)',
          run: (p) => Promise.all(records.map((r) => p.encrypt(publicKey, policy, r))),
        },
        { op: 'bulk decrypt (CCA, 1 KiB)', run: (p) => Promise.all(bulkCts.map((c) => p.decrypt(bulkSk, c))) },
        { op: 'bulk keygen', run: (p) => Promise.all(records.map(() => p.keygen(masterKey, attrs(n)))) },
      ];
      for (const b of bulk) {
        if (!ctx.wants('waters11', b.op)) continue;
        const bt = new Map<number, number[]>(sizes.map((s) => [s, []]));
        for (const p of pools) await b.run(p);
        for (let r = 0; r < rounds; r++) {
          ctx.progress.step(`workers: ${b.op}, round ${r + 1}/${rounds}`);
          for (const p of pools) bt.get(p.size)?.push((await wall(() => b.run(p))) / batch);
        }
        const one = median(bt.get(1) as number[]);
        lines.push(
          '',
          `## Waters11 ${b.op}, N = ${n}: ${batch} items at once, wall ms per item, median of ${rounds} rounds`,
          '',
          '| pool size | ms per item | items/s | throughput vs pool 1 |',
          '|---|---|---|---|',
        );
        for (const s of sizes) {
          const ts = bt.get(s) as number[];
          const med = median(ts);
          lines.push(`| ${s} | ${med.toFixed(2)} | ${(1000 / med).toFixed(0)} | ${(one / med).toFixed(2)}× |`);
          ctx.record({
            suite: 'workers',
            scheme: 'waters11',
            op: b.op,
            n,
            variant: `pool ${s}`,
            median_ms: med,
            min_ms: Math.min(...ts),
            max_ms: Math.max(...ts),
            samples: ts.length,
            wall_median_ms: med,
            note: `${(1000 / med).toFixed(0)} items/s, ${(one / med).toFixed(2)}x vs pool 1 (wall)`,
          });
        }
      }
      if (ctx.opts.write) {
        const head = [
          '# Worker pool (bpds/workers): scaling with the pool size',
          '',
          `Written by \`npm run bench -- --suite workers\` (bench/suites/workers.ts) on ${new Date().toISOString().slice(0, 10)}: ` +
            `${cores} logical CPUs, Node ${process.version}; 1-minute load average ${load0.toFixed(2)} at the start, ` +
            `${(loadavg()[0] ?? 0).toFixed(2)} at the end (the machine is shared: wall-clock figures move with the load).`,
          'Configurations run interleaved, round by round; each figure is the median over the rounds.',
          '',
        ];
        mkdirSync(ctx.opts.outDir, { recursive: true });
        writeFileSync(join(ctx.opts.outDir, 'workers.md'), `${[...head, ...lines].join('\n')}\n`);
      }
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  },
};
