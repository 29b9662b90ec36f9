/**
 * Linear combinations sum_i c_i * P_i of group elements with LSSS-sized coefficients.
 *
 * LSSS matrices and reconstruction coefficients of AND/OR formulas are mostly 0, 1 and
 * -1 (= r - 1): those terms cost one point addition (microseconds) instead of a scalar
 * multiplication; the remaining terms go through one multi-scalar multiplication. This
 * is what keeps FAME decryption flat in the number of attributes. Internal.
 */
import {
  type Fr,
  frFrom,
  type G1,
  type G2,
  g1Add,
  g1Identity,
  g1Msm,
  g1Sub,
  g2Add,
  g2Identity,
  g2Msm,
  g2Sub,
  groupOrder,
} from '../../pairing/index.js';

/** r - 1 for the loaded curve (the coefficient -1). */
const minusOne = (): bigint => groupOrder() - 1n;

interface GroupOps<P> {
  add(a: P, b: P): P;
  sub(a: P, b: P): P;
  identity(): P;
  msm(points: readonly P[], scalars: readonly Fr[]): P;
}

const G1_OPS: GroupOps<G1> = { add: g1Add, sub: g1Sub, identity: g1Identity, msm: g1Msm };
const G2_OPS: GroupOps<G2> = { add: g2Add, sub: g2Sub, identity: g2Identity, msm: g2Msm };

function linComb<P>(ops: GroupOps<P>, points: readonly P[], coeffs: readonly bigint[]): P {
  if (points.length !== coeffs.length) throw new RangeError('linComb: length mismatch');
  let acc: P | undefined;
  const msmPoints: P[] = [];
  const msmScalars: Fr[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as P;
    let c = (coeffs[i] as bigint) % groupOrder();
    if (c < 0n) c += groupOrder();
    if (c === 0n) continue;
    if (c === 1n) acc = acc === undefined ? p : ops.add(acc, p);
    else if (c === minusOne()) acc = ops.sub(acc ?? ops.identity(), p);
    else {
      msmPoints.push(p);
      msmScalars.push(frFrom(c));
    }
  }
  if (msmPoints.length > 0) {
    const m = ops.msm(msmPoints, msmScalars);
    acc = acc === undefined ? m : ops.add(acc, m);
  }
  return acc ?? ops.identity();
}

/** sum_i coeffs[i] * points[i] in G1 (coefficients taken mod r). */
export const g1LinComb = (points: readonly G1[], coeffs: readonly bigint[]): G1 => linComb(G1_OPS, points, coeffs);
/** sum_i coeffs[i] * points[i] in G2 (coefficients taken mod r). */
export const g2LinComb = (points: readonly G2[], coeffs: readonly bigint[]): G2 => linComb(G2_OPS, points, coeffs);
