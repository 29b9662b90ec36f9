/**
 * Primitives suite: the pairing backend's own costs (mcl-wasm BN254 through
 * `src/pairing`). These are "the limit": the CP-ABE suite prices each scheme's
 * counted group operations with the costs measured here, in the same run.
 */
import { be } from '../../src/pairing/backend.js';
import * as P from '../../src/pairing/index.js';
import type { Prices } from '../lib/limit.js';
import { type Measurer, type Timing, timingFields } from '../lib/measure.js';
import type { Context } from '../lib/types.js';

const SCHEME = 'mcl-wasm';

type Emit = (op: string, n: number | null, t: Timing, perUnit?: number) => void;

function fixtures() {
  const g1 = P.g1Generator();
  const g2 = P.g2Generator();
  const s = P.frRandomNonZero();
  const e = P.pair(g1, g2);
  const ml = P.millerLoop(g1, g2);
  const g1s = (k: number) => Array.from({ length: k }, () => P.g1Mul(g1, P.frRandomNonZero()));
  const g2s = (k: number) => Array.from({ length: k }, () => P.g2Mul(g2, P.frRandomNonZero()));
  const frs = (k: number) => Array.from({ length: k }, () => P.frRandom());
  return { g1, g2, s, e, ml, g1s, g2s, frs };
}

/**
 * Measure the primitives. Every measurement that prices an OpCount field is
 * always taken; `emit` (null when the primitives suite is filtered out)
 * receives the rows to record. Returns the prices for the limit column.
 */
export function measurePrimitives(m: Measurer, emit: Emit | null, step: (label: string) => void): Prices {
  const f = fixtures();
  const msg = P.frToBytes(P.frRandom());
  const g1b = P.g1ToBytes(P.g1Mul(f.g1, f.s));
  const g2b = P.g2ToBytes(P.g2Mul(f.g2, f.s));
  const run = (op: string, n: number | null, fn: () => unknown, per = 1): Timing => {
    step(`primitives ${op}${n === null ? '' : ` n=${n}`}`);
    const t = m.sync(fn);
    const scaled: Timing = {
      ...t,
      median: t.median / per,
      min: t.min / per,
      max: t.max / per,
      wallMedian: t.wallMedian / per,
    };
    emit?.(op, n, scaled, per);
    return scaled;
  };

  run('pairing', null, () => P.pair(f.g1, f.g2));
  const miller = run('Miller loop', null, () => P.millerLoop(f.g1, f.g2));
  const finalExp = run('final exponentiation', null, () => P.finalExp(f.ml));
  let millerPer = miller.median;
  for (const k of [2, 6, 20]) {
    const Ps = f.g1s(k);
    const Qs = f.g2s(k);
    run('multi-pairing', k, () => P.multiPairing(Ps, Qs));
    if (k === 20) millerPer = run('Miller loop per pair (vector)', k, () => P.millerLoopVec(Ps, Qs), k).median;
  }
  const g1Mul = run('G1 mul', null, () => P.g1Mul(f.g1, f.s));
  const g2Mul = run('G2 mul', null, () => P.g2Mul(f.g2, f.s));
  const msm: Record<string, number> = {};
  for (const k of [10, 100]) {
    const pts1 = f.g1s(k);
    const pts2 = f.g2s(k);
    const sc = f.frs(k);
    msm[`g1-${k}`] = run('G1 MSM per point', k, () => P.g1Msm(pts1, sc), k).median;
    msm[`g2-${k}`] = run('G2 MSM per point', k, () => P.g2Msm(pts2, sc), k).median;
  }
  const gtPow = run('GT pow', null, () => P.gtPow(f.e, f.s));
  const hashG1 = run('hash to G1', null, () => P.hashToG1('bpds/bench/h1', msg));
  const hashG2 = run('hash to G2', null, () => P.hashToG2('bpds/bench/h2', msg));
  // The backend's own cost of a validated decode, under the pairing layer's settings (never
  // changed here: mcl's order checks are global switches). G1 of BN254 has cofactor 1, so
  // decompression plus the curve equation is the whole validation; G2 needs one order check.
  const { mcl } = be();
  const g1Decode = run('G1 decode (mcl deserialize + on-curve check)', null, () => {
    const x = new mcl.G1();
    x.deserialize(g1b);
    return x.isValid();
  });
  const g2Decode = run('G2 decode (mcl deserialize, subgroup check)', null, () => new mcl.G2().deserialize(g2b));
  // What the library's validated decoders cost today (not used as prices).
  run('g1FromBytes (src/pairing)', null, () => P.g1FromBytes(g1b));
  run('g2FromBytes (src/pairing)', null, () => P.g2FromBytes(g2b));
  return {
    g1Mul: g1Mul.median,
    g2Mul: g2Mul.median,
    g1MsmPoints: msm['g1-10']!,
    g2MsmPoints: msm['g2-10']!,
    gtPow: gtPow.median,
    hashG1: hashG1.median,
    hashG2: hashG2.median,
    millerPairs: millerPer,
    finalExp: finalExp.median,
    g1Decode: g1Decode.median,
    g2Decode: g2Decode.median,
  };
}

/** Emit function for the primitives suite's rows. */
export function primitiveEmitter(ctx: Pick<Context, 'record' | 'wants'>): Emit {
  return (op, n, t, per = 1) => {
    if (!ctx.wants(SCHEME, op)) return;
    ctx.record({
      suite: 'primitives',
      scheme: SCHEME,
      op,
      n,
      ...timingFields(t),
      note: per > 1 ? `per point/pair; whole call of ${per}: ${(t.median * per).toFixed(3)} ms` : null,
    });
  };
}
