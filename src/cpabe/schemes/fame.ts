/**
 * FAME: Fast Attribute-based Message Encryption (S. Agrawal and M. Chase, ACM CCS
 * 2017), the CP-ABE scheme of §4 instantiated with k = 2 (DLIN), adaptively secure,
 * unbounded attribute universe, decryption with 6 pairings whatever the policy.
 *
 * Variable names follow the paper: g, h generators of G (= G1) and H (= G2);
 * pk = (h, H1 = h^a1, H2 = h^a2, T1 = e(g,h)^{d1 a1 + d3}, T2 = e(g,h)^{d2 a2 + d3});
 * msk = (a1, a2, b1, b2, g^d1, g^d2, g^d3); keys sk0 (G2), sk_y, sk' (G1);
 * ciphertexts ct0 (G2), ct_i (G1), KEM key T1^s1 T2^s2.
 *
 * Group placement (Type-3, as in the paper): only sk0 and ct0 (three points each) are
 * in G2; every per-attribute key part and every per-row ciphertext part is in G1, and
 * both hash families H(y l t) and H(0 j l t) map to G1. So encryption does exactly
 * three G2 exponentiations and an untrusted ciphertext validates with three G2 decodes.
 *
 * Repeated attributes: the paper's proof assumes each attribute labels at most one
 * row (rho injective). We remove that restriction with the standard copy technique
 * (Lewko–Okamoto–Sahai–Takashima–Waters, EUROCRYPT 2010, §"one-use restriction"):
 * the k-th row labelled y uses the fresh attribute (y, k), i.e. hashes H((y,k) l t),
 * and every key holds independent components for (y, 1), ..., (y, maxRepeats). This
 * is FAME applied to an injective labelling, so its security proof applies unchanged.
 * `maxRepeats` is fixed at setup (public key); encryption rejects policies that repeat
 * an attribute more often, with a PolicySyntaxError.
 *
 * Internal: the public API is in `src/cpabe/index.ts`.
 */
import { DecryptionError, InvalidArgumentError, PolicySyntaxError } from '../../errors.js';
import {
  type Fr,
  frAdd,
  frInv,
  frIsZero,
  frMul,
  frNeg,
  type G1,
  type G2,
  type GT,
  g1Add,
  g1Generator,
  g1Msm,
  g1Mul,
  g1Neg,
  g2Eq,
  g2Generator,
  g2Mul,
  g2MulGenerator,
  gtEq,
  gtMul,
  gtPow,
  multiPairing,
  pair,
} from '../../pairing/index.js';
import { g1LinComb } from '../internal/lincomb.js';
import { type Lsss, SCHEME_IDS, type ScalarSource, type SchemeCore, type SchemeSetupOptions } from '../scheme.js';
import { readCt, readMk, readPk, readSk, writeCt, writeMk, writePk, writeSk } from './internal-fame/codec.js';
import { hAttr, hCol } from './internal-fame/hash.js';
import { encryptRows, rowsMatch } from './internal-fame/rows.js';
import {
  FAME_LIMITS,
  type FameCt,
  type FameMk,
  type FamePk,
  type FameSk,
  occurrences,
  type Triple,
} from './internal-fame/types.js';

/** Default number of times one attribute may appear in a FAME policy. */
export const FAME_DEFAULT_MAX_REPEATS = 2;

function nonZero(rand: ScalarSource): Fr {
  // A zero draw has probability 1/r; a source that keeps returning zero is broken.
  for (let i = 0; i < 8; i++) {
    const x = rand();
    if (!frIsZero(x)) return x;
  }
  throw new RangeError('scalar source returned zero 8 times in a row');
}

/** Check that no label occurs more than `maxRepeats` times; return the occurrence indexes. */
function checkedOccurrences(pk: FamePk, lsss: Lsss): number[] {
  const occ = occurrences(lsss.rowLabels);
  for (let i = 0; i < occ.length; i++) {
    if ((occ[i] as number) > pk.maxRepeats) {
      throw new PolicySyntaxError(
        `attribute ${JSON.stringify(lsss.rowLabels[i])} appears more than ${pk.maxRepeats} times in the policy ` +
          `(FAME public keys allow at most maxRepeats = ${pk.maxRepeats} occurrences; see setup options)`,
      );
    }
  }
  return occ;
}

function setup(rand: ScalarSource, options?: SchemeSetupOptions): { pk: FamePk; mk: FameMk } {
  const maxRepeats = options?.maxRepeats ?? FAME_DEFAULT_MAX_REPEATS;
  if (!Number.isInteger(maxRepeats) || maxRepeats < 1 || maxRepeats > FAME_LIMITS.maxRepeats) {
    throw new InvalidArgumentError(`"options.maxRepeats" expected an integer in [1, ${FAME_LIMITS.maxRepeats}]`);
  }
  const g = g1Generator();
  const h = g2Generator();
  const a1 = nonZero(rand);
  const a2 = nonZero(rand);
  const b1 = nonZero(rand);
  const b2 = nonZero(rand);
  const d1 = rand();
  const d2 = rand();
  const d3 = rand();
  const egh = pair(g, h);
  const pk: FamePk = {
    maxRepeats,
    H1: g2Mul(h, a1),
    H2: g2Mul(h, a2),
    T1: gtPow(egh, frAdd(frMul(d1, a1), d3)),
    T2: gtPow(egh, frAdd(frMul(d2, a2), d3)),
  };
  return { pk, mk: { a1, a2, b1, b2, gd1: g1Mul(g, d1), gd2: g1Mul(g, d2), gd3: g1Mul(g, d3) } };
}

function keygen(pk: FamePk, mk: FameMk, attributes: readonly string[], rand: ScalarSource): FameSk {
  if (attributes.length * pk.maxRepeats > FAME_LIMITS.maxCopies) {
    throw new InvalidArgumentError(
      `"attributes": ${attributes.length} attributes x maxRepeats ${pk.maxRepeats} exceeds ${FAME_LIMITS.maxCopies} key components`,
    );
  }
  const g = g1Generator();
  const r1 = rand();
  const r2 = rand();
  // Br = (b1 r1, b2 r2, r1 + r2)
  const Br = [frMul(mk.b1, r1), frMul(mk.b2, r2), frAdd(r1, r2)] as const;
  const sk0: Triple<G2> = [g2MulGenerator(Br[0]), g2MulGenerator(Br[1]), g2MulGenerator(Br[2])];
  const aInv = [frInv(mk.a1), frInv(mk.a2)] as const;
  // Exponents (Br_l / a_t) shared by every attribute.
  const e = [0, 1].map((t) => Br.map((b) => frMul(b, aInv[t] as Fr)));
  /** prod_l H(l, t)^{Br_l / a_t} * g^{sigma / a_t} for t = 1, 2, then g^{-sigma}. */
  const component = (H: (l: number, t: number) => G1, sigma: Fr): Triple<G1> => {
    const part = (t: number): G1 => {
      const et = e[t - 1] as Fr[];
      return g1Msm(
        [H(1, t), H(2, t), H(3, t), g],
        [et[0] as Fr, et[1] as Fr, et[2] as Fr, frMul(sigma, aInv[t - 1] as Fr)],
      );
    };
    return [part(1), part(2), g1Mul(g, frNeg(sigma))];
  };
  const sky = new Map<string, Triple<G1>[]>();
  for (const y of attributes) {
    if (sky.has(y)) continue;
    const copies: Triple<G1>[] = [];
    for (let k = 1; k <= pk.maxRepeats; k++) copies.push(component((l, t) => hAttr(y, k, l, t), rand()));
    sky.set(y, copies);
  }
  // sk' = (g^{d1} * sk'-part_1, g^{d2} * sk'-part_2, g^{d3} * g^{-sigma'}) with H(0 1 l t).
  const base = component((l, t) => hCol(1, l, t), rand());
  const skp: Triple<G1> = [g1Add(mk.gd1, base[0]), g1Add(mk.gd2, base[1]), g1Add(mk.gd3, base[2])];
  return { sk0, skp, copies: pk.maxRepeats, sky };
}

function encapsulate(pk: FamePk, lsss: Lsss, rand: ScalarSource): { ct: FameCt; key: GT } {
  const occ = checkedOccurrences(pk, lsss);
  const s1 = rand();
  const s2 = rand();
  const ct0: Triple<G2> = [g2Mul(pk.H1, s1), g2Mul(pk.H2, s2), g2MulGenerator(frAdd(s1, s2))];
  const cti = encryptRows(lsss, occ, s1, s2);
  return { ct: { ct0, cti }, key: gtMul(gtPow(pk.T1, s1), gtPow(pk.T2, s2)) };
}

function decapsulate(
  pk: FamePk,
  sk: FameSk,
  ct: FameCt,
  lsss: Lsss,
  rows: readonly number[],
  coeffs: readonly bigint[],
): GT {
  const { Ps, Qs } = decapsulationPairs(pk, sk, ct, lsss, rows, coeffs);
  return multiPairing(Ps, Qs);
}

function decapsulationPairs(
  _pk: FamePk,
  sk: FameSk,
  ct: FameCt,
  lsss: Lsss,
  rows: readonly number[],
  coeffs: readonly bigint[],
): { Ps: G1[]; Qs: G2[] } {
  const occ = occurrences(lsss.rowLabels);
  const keyParts: Triple<G1>[] = [];
  const ctParts: Triple<G1>[] = [];
  for (const i of rows) {
    const y = lsss.rowLabels[i];
    const k = occ[i];
    const part = y === undefined || k === undefined ? undefined : sk.sky.get(y)?.[k - 1];
    const c = ct.cti[i];
    if (part === undefined || c === undefined) throw new DecryptionError();
    keyParts.push(part);
    ctParts.push(c);
  }
  // X_l = prod_{i in I} ct_{i,l}^{gamma_i};  Y_l = sk'_l * prod_{i in I} sk_{rho(i),l}^{gamma_i}
  const X = [0, 1, 2].map((l) =>
    g1LinComb(
      ctParts.map((c) => c[l] as G1),
      coeffs,
    ),
  );
  const Y = [0, 1, 2].map((l) =>
    g1Add(
      sk.skp[l] as G1,
      g1LinComb(
        keyParts.map((p) => p[l] as G1),
        coeffs,
      ),
    ),
  );
  // key = prod_l e(Y_l, ct0_l) / prod_l e(X_l, sk0_l): one Miller-loop product, one final exponentiation.
  return {
    Ps: [Y[0] as G1, Y[1] as G1, Y[2] as G1, g1Neg(X[0] as G1), g1Neg(X[1] as G1), g1Neg(X[2] as G1)],
    Qs: [ct.ct0[0], ct.ct0[1], ct.ct0[2], sk.sk0[0], sk.sk0[1], sk.sk0[2]],
  };
}

/**
 * Fujisaki–Okamoto re-encryption check without re-encrypting, with group work linear in
 * rows + columns whatever the matrix. Replay s1, s2 from the deterministic stream and
 * compare ct0 (three G2 multiplications). Then test all 3n row equations
 *   ct_{i,l} = s1 P_{i,l,1} + s2 P_{i,l,2},  P_{i,l,t} = H(y_i l t) + sum_j M_ij H(0 j l t)
 * at once with the small-exponents batch test (Bellare–Garay–Rabin, EUROCRYPT 1998):
 * fresh random 128-bit weights delta_{i,l} and
 *   sum delta ct  ==  sum_t s_t (sum_{i,l} delta_{i,l} H(y_i l t) + sum_{j,l} c_{j,l} H(0 j l t)),
 *   c_{j,l} = sum_i delta_{i,l} M_ij   (the matrix folded into the scalars: M^T delta, Fr arithmetic).
 * Two G1 MSMs with one base per distinct hash (6n attribute and at most 6m column hashes)
 * and one MSM of the 3n ciphertext points with the short weights. G1 has prime order r,
 * so if any row is wrong the test passes with probability at most 2^-128; the folding is an
 * exact rewrite of the same sum. Constant-shape: every comparison is computed before the
 * verdict, so a failing ciphertext costs what a passing one does.
 */
function checkEncapsulation(pk: FamePk, lsss: Lsss, ct: FameCt, rand: ScalarSource): boolean {
  const n = lsss.rowLabels.length;
  // Shape and policy checks depend only on public data (the header), never on the key.
  if (ct.cti.length !== n || lsss.matrix.length !== n) return false;
  let occ: number[];
  try {
    occ = checkedOccurrences(pk, lsss);
  } catch {
    return false;
  }
  const s1 = rand();
  const s2 = rand();
  const ok0 = [
    g2Eq(ct.ct0[0], g2Mul(pk.H1, s1)),
    g2Eq(ct.ct0[1], g2Mul(pk.H2, s2)),
    g2Eq(ct.ct0[2], g2MulGenerator(frAdd(s1, s2))),
  ];
  const okRows = rowsMatch(lsss, occ, ct.cti, s1, s2);
  return ok0.every(Boolean) && okRows;
}

/** H1 = h^a1, H2 = h^a2, T_t = e(g^{d_t}, H_t) e(g^{d3}, h): the master key generated this public key. */
function validateMasterKey(pk: FamePk, mk: FameMk): boolean {
  const h = g2Generator();
  if (!g2Eq(pk.H1, g2Mul(h, mk.a1)) || !g2Eq(pk.H2, g2Mul(h, mk.a2))) return false;
  return (
    gtEq(pk.T1, multiPairing([mk.gd1, mk.gd3], [pk.H1, h])) && gtEq(pk.T2, multiPairing([mk.gd2, mk.gd3], [pk.H2, h]))
  );
}

/** The FAME scheme core (k = 2). */
export const fameCore: SchemeCore<FamePk, FameMk, FameSk, FameCt> = {
  name: 'fame',
  id: SCHEME_IDS.fame,
  setup,
  keygen,
  keyAttributes: (sk) => [...sk.sky.keys()],
  encapsulate,
  decapsulate,
  decapsulationPairs,
  checkEncapsulation,
  writePublicKey: writePk,
  readPublicKey: readPk,
  writeMasterKey: writeMk,
  readMasterKey: readMk,
  validateMasterKey,
  writeSecretKey: writeSk,
  readSecretKey: readSk,
  writeCiphertext: writeCt,
  readCiphertext: readCt,
  counts: {
    // Per attribute and copy: 2 four-point G1 MSMs + 1 G1 mul; plus sk0 (3 G2 muls) and sk'.
    // (hashes cached after first use; counted for the default maxRepeats)
    keygen: (n) => ({
      g2FixedMul: 3,
      g1MsmPoints: 8 * (n * FAME_DEFAULT_MAX_REPEATS + 1),
      g1Mul: n * FAME_DEFAULT_MAX_REPEATS + 1,
    }),
    // 3 G2 muls, 2 GT pows, 3n two-point G1 MSMs (attribute and column hashes are cached after first use).
    encapsulate: (n) => ({ g2Mul: 2, g2FixedMul: 1, gtPow: 2, g1MsmPoints: 6 * n }),
    // CCA check: 3 G2 muls, three 3n-point G1 MSMs (one with 128-bit scalars, counted as full-size points) and one
    // 2-point MSM, for light (AND/OR) rows; heavy (threshold) rows add at most 6 column hashes per column to the MSMs.
    checkEncapsulation: (n) => ({ g2Mul: 2, g2FixedMul: 1, g1MsmPoints: 9 * n + 2 }),
    // 6 pairs, one final exponentiation; the aggregation is point additions for ±1 coefficients.
    decapsulate: () => ({ millerPairs: 6, finalExp: 1 }),
  },
};

export { FAME_LIMITS };
