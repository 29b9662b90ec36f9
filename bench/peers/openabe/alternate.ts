/**
 * Alternating measurement: the contenders of one case (OpenABE in its process, bpds FAME and
 * Waters11 in this one) take turns sample by sample, the first of each round rotating, so a
 * change of machine load falls on all of them alike. Batch sizes and the sample count follow
 * the bench's own plan (bench/lib/measure.ts): a warm-up, batches of at least `minSampleMs`,
 * samples within the budget and [minSamples, maxSamples]. Times are each process's CPU time.
 */
import { cpuNow, type MeasureConfig, median } from '../../lib/measure.js';

/** Per-call CPU and wall time of one sample of `calls` calls, in ms. */
export interface Sample {
  cpu: number;
  wall: number;
}

export interface Contender {
  name: string;
  /** Time `calls` calls, per call. */
  sample(calls: number): Promise<Sample>;
}

/** Median, min, max of the per-call CPU time; the wall-clock median beside it. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  wallMedian: number;
  samples: number;
  batch: number;
}

/** A bpds contender: `fn` runs in this process (its promise awaited, if it returns one). */
export function local(name: string, fn: () => unknown): Contender {
  return {
    name,
    async sample(calls) {
      const c0 = cpuNow();
      const w0 = performance.now();
      for (let i = 0; i < calls; i++) {
        const r = fn();
        if (r instanceof Promise) await r;
      }
      return { cpu: (cpuNow() - c0) / calls, wall: (performance.now() - w0) / calls };
    },
  };
}

/** Summarize per-call samples. */
export function stat(cpu: readonly number[], wall: readonly number[], batch: number): Stat {
  return {
    median: median(cpu),
    min: Math.min(...cpu),
    max: Math.max(...cpu),
    wallMedian: median(wall),
    samples: cpu.length,
    batch,
  };
}

/** Warm up each contender, then take alternating samples; one Stat per contender, in order. */
export async function alternate(
  contenders: readonly Contender[],
  cfg: MeasureConfig,
  budgetScale = 1,
): Promise<Stat[]> {
  const perCall: number[] = [];
  for (const c of contenders) {
    let spent = 0;
    let calls = 0;
    do {
      spent += (await c.sample(1)).cpu;
      calls++;
    } while (spent < cfg.warmupMs && calls < 10_000);
    perCall.push(Math.max(spent / calls, 1e-4));
  }
  const batches = perCall.map((t) => Math.max(1, Math.ceil(cfg.minSampleMs / t)));
  const round = perCall.reduce((s, t, i) => s + t * batches[i]!, 0);
  const budget = cfg.budgetMs * budgetScale * contenders.length;
  const samples = Math.min(cfg.maxSamples, Math.max(cfg.minSamples, Math.floor(budget / round)));
  const cpu: number[][] = contenders.map(() => []);
  const wall: number[][] = contenders.map(() => []);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < contenders.length; j++) {
      const i = (s + j) % contenders.length;
      const r = await contenders[i]!.sample(batches[i]!);
      cpu[i]!.push(r.cpu);
      wall[i]!.push(r.wall);
    }
  }
  return contenders.map((_, i) => stat(cpu[i]!, wall[i]!, batches[i]!));
}
