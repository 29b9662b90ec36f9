/**
 * Shared test helpers. `runs(n)` scales fast-check run counts: the default test run uses
 * `n`; `npm run fuzz:props` sets FUZZ_RUNS to run every property many more times. Properties
 * whose single run costs milliseconds of pairing work pass `{ heavy: true }` and get
 * one fiftieth of FUZZ_RUNS.
 */
export function runs(n: number, opts: { heavy?: boolean } = {}): number {
  const env = typeof process !== 'undefined' ? process.env.FUZZ_RUNS : undefined;
  const f = env ? Number.parseInt(env, 10) : Number.NaN;
  if (!Number.isFinite(f) || f <= 0) return n;
  return Math.max(n, opts.heavy ? Math.ceil(f / 50) : f);
}
