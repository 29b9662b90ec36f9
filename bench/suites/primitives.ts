/**
 * Primitives suite: the pairing backend's own costs (mcl-wasm BN254 through
 * `src/pairing`). These are "the limit": the run prices each CP-ABE scheme's
 * counted group operations with the costs measured here. They are measured
 * twice, before and after the other suites, and each operation keeps the pass
 * with the lower median (a busy machine only ever inflates a timing).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { be } from '../../src/pairing/backend.js';
import * as P from '../../src/pairing/index.js';
import { bn254G2InSubgroup } from '../../src/pairing/subgroup.js';
import type { Prices } from '../lib/limit.js';
import { type Measurer, type Timing, timingFields } from '../lib/measure.js';
import type { Context } from '../lib/types.js';

const SCHEME = 'mcl-wasm';
const G1_DECODE = 'G1 decode (mcl deserialize + on-curve check)';
const G2_DECODE = 'G2 decode (mcl deserialize + endomorphism subgroup test)';
const G2_DECODE_DEFERRED = 'G2 decode, subgroup test deferred (mcl deserialize, on the twist)';

/** One primitive measurement, per call (or per point/pair when `per` > 1). */
export interface PrimitiveResult {
  op: string;
  n: number | null;
  t: Timing;
  per: number;
}

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

/** Measure every primitive (always all of them: they price the limits). */
export function measurePrimitives(m: Measurer, step: (label: string) => void): PrimitiveResult[] {
  const results: PrimitiveResult[] = [];
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
    results.push({ op, n, t: scaled, per });
    return scaled;
  };

  run('pairing', null, () => P.pair(f.g1, f.g2));
  run('Miller loop', null, () => P.millerLoop(f.g1, f.g2));
  run('final exponentiation', null, () => P.finalExp(f.ml));
  for (const k of [2, 6, 20]) {
    const Ps = f.g1s(k);
    const Qs = f.g2s(k);
    run('multi-pairing', k, () => P.multiPairing(Ps, Qs));
    if (k === 20) run('Miller loop per pair (vector)', k, () => P.millerLoopVec(Ps, Qs), k);
  }
  run('G1 mul', null, () => P.g1Mul(f.g1, f.s));
  run('G2 mul', null, () => P.g2Mul(f.g2, f.s));
  P.g2MulGenerator(f.s); // builds the table once, outside the timing
  run('G2 mul by the generator (fixed-base table)', null, () => P.g2MulGenerator(f.s));
  for (const k of [10, 100]) {
    const pts1 = f.g1s(k);
    const pts2 = f.g2s(k);
    const sc = f.frs(k);
    run('G1 MSM per point', k, () => P.g1Msm(pts1, sc), k);
    run('G2 MSM per point', k, () => P.g2Msm(pts2, sc), k);
  }
  // The small G1 MSMs FAME's keygen (4 points) and encryption (2 points) are made of: not used
  // as prices (the limit prices MSM points at the 10-point rate), shown to explain the ratio.
  for (const k of [2, 4]) {
    const pts1 = f.g1s(k);
    const sc = f.frs(k);
    run('G1 MSM per point', k, () => P.g1Msm(pts1, sc), k);
  }
  run('GT pow', null, () => P.gtPow(f.e, f.s));
  run('hash to G1', null, () => P.hashToG1('bpds/bench/h1', msg));
  run('hash to G2', null, () => P.hashToG2('bpds/bench/h2', msg));
  if (P.loadedCurve().name === 'bls12-381') {
    // The alternative to mcl's RFC 9380 mode: @noble/curves' hashToCurve, handed to mcl through
    // the compressed bytes (one validated decode). Same points (test/curves/rfc9380.bls12-381.test.ts).
    const dst1 = `bpds/bench/h1/${P.RFC9380_SUITE_G1}`;
    const dst2 = `bpds/bench/h2/${P.RFC9380_SUITE_G2}`;
    run('hash to G1 (noble + decode)', null, () =>
      P.g1FromBytes(bls12_381.G1.hashToCurve(msg, { DST: dst1 }).toBytes(true)),
    );
    run('hash to G2 (noble + decode)', null, () =>
      P.g2FromBytes(bls12_381.G2.hashToCurve(msg, { DST: dst2 }).toBytes(true)),
    );
  }
  // The backend's own cost of a validated decode, under the pairing layer's settings (never
  // changed here: mcl's order checks are global switches). G1 of BN254 has cofactor 1, so
  // decompression plus the curve equation is the whole validation; G2 needs one membership
  // test (src/pairing/subgroup.ts; mcl's own order check is off since init).
  const { mcl } = be();
  run(G1_DECODE, null, () => {
    const x = new mcl.G1();
    x.deserialize(g1b);
    return x.isValid();
  });
  run(G2_DECODE, null, () => {
    const x = new mcl.G2();
    x.deserialize(g2b);
    return bn254G2InSubgroup(x);
  });
  run(G2_DECODE_DEFERRED, null, () => new mcl.G2().deserialize(g2b));
  // The two G2 membership tests side by side (not used as prices): the endomorphism test and
  // mcl's generic [r]Q check that decoding used before.
  const q2 = new mcl.G2();
  q2.deserialize(g2b);
  run('G2 membership: endomorphism test', null, () => bn254G2InSubgroup(q2));
  run("G2 membership: mcl's [r]Q order check", null, () => q2.isValidOrder());
  // What the library's validated decoders cost today (not used as prices).
  run('g1FromBytes (src/pairing)', null, () => P.g1FromBytes(g1b));
  run('g2FromBytes (src/pairing)', null, () => P.g2FromBytes(g2b));
  return results;
}

/** Per operation, the pass with the lower median. */
export function bestOf(a: readonly PrimitiveResult[], b: readonly PrimitiveResult[]): PrimitiveResult[] {
  return a.map((x) => {
    const y = b.find((r) => r.op === x.op && r.n === x.n);
    return y !== undefined && y.t.median < x.t.median ? y : x;
  });
}

/** The prices of the OpCount fields (see PRICE_SOURCES in lib/limit.ts). */
export function pricesOf(rs: readonly PrimitiveResult[]): Prices {
  const get = (op: string, n: number | null = null): number => {
    const r = rs.find((x) => x.op === op && x.n === n);
    if (r === undefined) throw new Error(`bench: primitive ${op} (n=${n}) was not measured`);
    return r.t.median;
  };
  return {
    g1Mul: get('G1 mul'),
    g2Mul: get('G2 mul'),
    g2FixedMul: get('G2 mul by the generator (fixed-base table)'),
    g1MsmPoints: get('G1 MSM per point', 10),
    g2MsmPoints: get('G2 MSM per point', 10),
    gtPow: get('GT pow'),
    hashG1: get('hash to G1'),
    hashG2: get('hash to G2'),
    millerPairs: get('Miller loop per pair (vector)', 20),
    finalExp: get('final exponentiation'),
    g1Decode: get(G1_DECODE),
    g2Decode: get(G2_DECODE),
    g2DecodeDeferred: get(G2_DECODE_DEFERRED),
  };
}

/** Record the primitives suite's rows. */
export function recordPrimitives(ctx: Pick<Context, 'record' | 'wants'>, rs: readonly PrimitiveResult[]): void {
  for (const { op, n, t, per } of rs) {
    if (!ctx.wants(SCHEME, op)) continue;
    ctx.record({
      suite: 'primitives',
      scheme: SCHEME,
      op,
      n,
      ...timingFields(t),
      note: per > 1 ? `per point/pair; whole call of ${per}: ${(t.median * per).toFixed(3)} ms` : null,
    });
  }
}
