/**
 * Timing: warm-up, an adaptive batch size for sub-millisecond operations, then
 * timed samples until a time budget is spent (within [minSamples, maxSamples]).
 * Reports the median, minimum and maximum per-call time of the samples.
 *
 * Two clocks: `cpu` (default) is the process's CPU time (`process.cpuUsage()`,
 * user + system, all threads: WebCrypto's thread-pool work counts), which a
 * busy shared machine barely disturbs; `wall` is `performance.now()`. Every
 * sample records both; the chosen clock gives median/min/max, and the wall-clock
 * median is kept beside it.
 */

/** Knobs of one measurement mode. */
export interface MeasureConfig {
  /** Warm-up time before timing (at least one call). */
  warmupMs: number;
  /** Time budget for the timed samples. */
  budgetMs: number;
  minSamples: number;
  maxSamples: number;
  /** Batch calls so that one sample lasts at least this long (timer resolution, call overhead). */
  minSampleMs: number;
}

export const QUICK: MeasureConfig = { warmupMs: 5, budgetMs: 20, minSamples: 3, maxSamples: 20, minSampleMs: 0.5 };
export const FULL: MeasureConfig = { warmupMs: 100, budgetMs: 400, minSamples: 5, maxSamples: 400, minSampleMs: 2 };

export type Clock = 'cpu' | 'wall';

/** Result of one measurement, per call, by the chosen clock. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  /** Median by the wall clock. */
  wallMedian: number;
  samples: number;
  /** Calls per sample. */
  batch: number;
}

/** Process CPU time in ms (user + system, all threads). */
export function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface MeasureOverrides {
  /** Multiply the budget (for the few measurements that matter most, or cost least). */
  budgetScale?: number;
  minSamples?: number;
}

export interface Measurer {
  readonly config: MeasureConfig;
  readonly clock: Clock;
  sync(fn: () => unknown, o?: MeasureOverrides): Timing;
  async(fn: () => Promise<unknown>, o?: MeasureOverrides): Promise<Timing>;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function summarize(times: number[], walls: number[], batch: number): Timing {
  return {
    median: median(times),
    min: Math.min(...times),
    max: Math.max(...times),
    wallMedian: median(walls),
    samples: times.length,
    batch,
  };
}

function plan(cfg: MeasureConfig, perCall: number, o: MeasureOverrides): { batch: number; samples: number } {
  const t = Math.max(perCall, 1e-4);
  const batch = Math.max(1, Math.ceil(cfg.minSampleMs / t));
  const budget = cfg.budgetMs * (o.budgetScale ?? 1);
  const minS = o.minSamples ?? cfg.minSamples;
  const samples = Math.min(cfg.maxSamples, Math.max(minS, Math.floor(budget / (t * batch))));
  return { batch, samples };
}

/** A measurer for one configuration and clock. */
export function measurer(cfg: MeasureConfig, clock: Clock = 'cpu'): Measurer {
  const now = clock === 'cpu' ? cpuNow : () => performance.now();
  return {
    config: cfg,
    clock,
    sync(fn, o = {}) {
      let calls = 0;
      const w0 = now();
      do {
        fn();
        calls++;
      } while (now() - w0 < cfg.warmupMs && calls < 10_000);
      const { batch, samples } = plan(cfg, (now() - w0) / calls, o);
      const times: number[] = [];
      const walls: number[] = [];
      for (let s = 0; s < samples; s++) {
        const c0 = now();
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) fn();
        walls.push((performance.now() - t0) / batch);
        times.push((now() - c0) / batch);
      }
      return summarize(times, walls, batch);
    },
    async async(fn, o = {}) {
      let calls = 0;
      const w0 = now();
      do {
        await fn();
        calls++;
      } while (now() - w0 < cfg.warmupMs && calls < 10_000);
      const { batch, samples } = plan(cfg, (now() - w0) / calls, o);
      const times: number[] = [];
      const walls: number[] = [];
      for (let s = 0; s < samples; s++) {
        const c0 = now();
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) await fn();
        walls.push((performance.now() - t0) / batch);
        times.push((now() - c0) / batch);
      }
      return summarize(times, walls, batch);
    },
  };
}

/** The row fields of a timing. */
export function timingFields(t: Timing) {
  return { median_ms: t.median, min_ms: t.min, max_ms: t.max, samples: t.samples, wall_median_ms: t.wallMedian };
}
