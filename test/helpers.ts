import { BLS12_381_R, BN254_R } from '../src/pairing/curve.js';

/**
 * Shared test helpers. `runs(n)` scales fast-check run counts: the default test run uses
 * `n`; `npm run fuzz:props` sets FUZZ_RUNS to run every property many more times. Properties
 * whose single run costs milliseconds of pairing work pass `{ heavy: true }` and get
 * one fiftieth of FUZZ_RUNS.
 */
export function runs(n: number, opts: { heavy?: boolean } = {}): number {
  const env = typeof process !== 'undefined' ? process.env.FUZZ_RUNS : undefined;
  const f = env ? Number.parseInt(env, 10) : Number.NaN;
  // The BLS12-381 copies of the property tests (vitest project `bls12-381`) run a third of the
  // default count (pairings there cost ~2x): full counts behind FUZZ_RUNS, as on BN254.
  if (!Number.isFinite(f) || f <= 0) return testCurve() === 'bls12-381' ? Math.max(1, Math.ceil(n / 3)) : n;
  return Math.max(n, opts.heavy ? Math.ceil(f / 50) : f);
}

/**
 * The curve this test process runs on: `bls12-381` in the vitest project of that name (its
 * setup file loads the curve before the test file is imported), else `bn254`. Known before
 * `init()`, so module-level constants can use it.
 */
export function testCurve(): 'bn254' | 'bls12-381' {
  return typeof process !== 'undefined' && process.env.BPDS_TEST_CURVE === 'bls12-381' ? 'bls12-381' : 'bn254';
}

/** The group order r of {@link testCurve} (BN254's or BLS12-381's). */
export function testOrder(): bigint {
  return testCurve() === 'bls12-381' ? BLS12_381_R : BN254_R;
}

/** The BLS signature algorithm of {@link testCurve} for the CES `aggregate` scheme. */
export function testBlsAlg(): 'bls-bn254' | 'bls12-381' {
  return testCurve() === 'bls12-381' ? 'bls12-381' : 'bls-bn254';
}
