/**
 * Waters11: Brent Waters, "Ciphertext-Policy Attribute-Based Encryption: An
 * Expressive, Efficient, and Provably Secure Realization", PKC 2011, §3 (the
 * main construction), in its large-universe random-oracle form (the h_x of the
 * public key replaced by a hash H(x)), as OpenABE implements it. Paper names:
 *
 * - Setup: alpha, a <- Zp; PK = (g, e(g,g)^alpha, g^a); MSK = g^alpha.
 * - KeyGen(S): t <- Zp; K = g^alpha g^{a t}, L = g^t, K_x = H(x)^t for x in S.
 * - Encrypt((M, rho)): v = (s, y_2, ..., y_n), lambda_i = M_i · v, r_1..r_l <- Zp;
 *   C = M e(g,g)^{alpha s}, C' = g^s, C_i = g^{a lambda_i} H(rho(i))^{-r_i}, D_i = g^{r_i}.
 * - Decrypt: e(C', K) / prod_{i in I} (e(C_i, L) e(D_i, K_rho(i)))^{w_i} = e(g,g)^{alpha s}.
 *
 * As a KEM the core returns Z = e(g,g)^{alpha s} and no C (the framework derives
 * the symmetric key from Z).
 *
 * Type-3 placement (e : G1 x G2 -> GT). C_i and K_x both carry H, so they share
 * a group, and D_i (paired with K_x) and L (paired with C_i) take the other one.
 * We put H, C', C_i, K_x and g^a in G1 and D_i, L, K in G2: hashing is to G1
 * (0.07 ms, not 0.29), the key has one G1 point per attribute and the ciphertext
 * rows one G1 and one G2 point (no placement avoids a G2 point per row).
 * The master key stores the scalars alpha and a (K = g2^{alpha + a t} is one G2
 * multiplication; g^a in G2 is never needed).
 *
 * Randomness: every scalar comes from the `rand` argument in a fixed order,
 * keygen: t; encapsulate: s, y_2..y_m, then r_1..r_n (rows in order); setup:
 * alpha, a. Zero draws of s, r_i, t, alpha, a are redrawn.
 */
import type { ByteReader, ByteWriter } from '../../internal/codec.js';
import {
  type Fr,
  frAdd,
  frFrom,
  frMul,
  frNeg,
  type G1,
  type G2,
  type GT,
  GT_BYTES,
  g1Eq,
  g1Generator,
  g1Msm,
  g1Mul,
  g2Eq,
  g2Generator,
  g2MulGenerator,
  gtEq,
  gtFromBytes,
  gtPow,
  gtToBytes,
  multiPairing,
  pair,
} from '../../pairing/index.js';
import { g1LinComb, g2LinComb } from '../internal/lincomb.js';
import { SCHEME_IDS, type ScalarSource, type SchemeCore } from '../scheme.js';
import { AttributeHasher } from './internal-w11-bsw/attribute-hash.js';
import {
  checkRowCount,
  checkUniqueLabel,
  readAttributeCount,
  readFr,
  readG1,
  readG2,
  readG2Row,
  readLabel,
  writeFr,
  writeG1,
  writeG2,
  writeLabel,
} from './internal-w11-bsw/encoding.js';
import { keyAttributeList } from './internal-w11-bsw/limits.js';
import { negMod, resolveRows } from './internal-w11-bsw/rows.js';
import { batchWeights, checkLsss, drawNonZero, shareSecret } from './internal-w11-bsw/shares.js';

/** Waters11 public key: g^a in G1 and e(g,g)^alpha (g = the fixed generators). */
export interface Waters11PublicKey {
  readonly ga: G1;
  readonly eggAlpha: GT;
}
/** Waters11 master key: the scalars alpha and a. */
export interface Waters11MasterKey {
  readonly alpha: Fr;
  readonly a: Fr;
}
/** Waters11 secret key: K, L in G2 and K_x in G1 per attribute x (insertion order kept). */
export interface Waters11SecretKey {
  readonly K: G2;
  readonly L: G2;
  readonly Kx: ReadonlyMap<string, G1>;
}
/** Waters11 ciphertext components: C' in G1 and, per row i, C_i in G1 and D_i in G2. */
export interface Waters11Ciphertext {
  readonly Cprime: G1;
  readonly C: readonly G1[];
  readonly D: readonly G2[];
}

/** H: attributes to G1 (random oracle), domain-separated for Waters11. */
const H = new AttributeHasher('bpds/v1/cpabe/waters11/H');

/**
 * The Waters11 (PKC 2011, §3, large universe) scheme core. Internal: the public
 * CP-ABE API in `src/cpabe` drives it through the {@link SchemeCore} contract.
 *
 * @throws {InvalidArgumentError} from `keygen`/`encapsulate` for malformed
 *   attributes or LSSS; {@link DecryptionError} from `decapsulate` when a row's
 *   attribute is not in the key; {@link InvalidEncodingError} from the readers.
 * @example
 * ```ts
 * import { frRandom, init } from '../../pairing/index.js';
 * await init();
 * const { pk, mk } = waters11Core.setup(frRandom);
 * const sk = waters11Core.keygen(pk, mk, ['doctor'], frRandom);
 * const lsss = { matrix: [[1n]], rowLabels: ['doctor'] };
 * const { ct, key } = waters11Core.encapsulate(pk, lsss, frRandom);
 * const z = waters11Core.decapsulate(pk, sk, ct, lsss, [0], [1n]); // equals key
 * ```
 */
export const waters11Core: SchemeCore<Waters11PublicKey, Waters11MasterKey, Waters11SecretKey, Waters11Ciphertext> = {
  name: 'waters11',
  id: SCHEME_IDS.waters11,

  setup(rand: ScalarSource) {
    const alpha = drawNonZero(rand);
    const a = drawNonZero(rand);
    const ga = g1Mul(g1Generator(), a);
    const eggAlpha = pair(g1Mul(g1Generator(), alpha), g2Generator());
    return { pk: { ga, eggAlpha }, mk: { alpha, a } };
  },

  keygen(_pk, mk, attributes, rand) {
    const S = keyAttributeList(attributes);
    const t = drawNonZero(rand);
    const K = g2MulGenerator(frAdd(mk.alpha, frMul(mk.a, t)));
    const L = g2MulGenerator(t);
    const Kx = new Map<string, G1>();
    for (const x of S) Kx.set(x, g1Mul(H.hash(x), t));
    return { K, L, Kx };
  },

  keyAttributes(sk) {
    return [...sk.Kx.keys()];
  },

  encapsulate(pk, lsss, rand) {
    const { n, m } = checkLsss(lsss);
    const { s, lambda } = shareSecret(lsss, m, rand);
    const C: G1[] = [];
    const D: G2[] = [];
    for (let i = 0; i < n; i++) {
      const ri = drawNonZero(rand);
      const Hi = H.hash(lsss.rowLabels[i] as string);
      C.push(g1Msm([pk.ga, Hi], [lambda[i] as Fr, frNeg(ri)]));
      D.push(g2MulGenerator(ri));
    }
    return { ct: { Cprime: g1Mul(g1Generator(), s), C, D }, key: gtPow(pk.eggAlpha, s) };
  },

  decapsulate(pk, sk, ct, lsss, rows, coeffs) {
    const { Ps, Qs } = waters11Core.decapsulationPairs(pk, sk, ct, lsss, rows, coeffs);
    return multiPairing(Ps, Qs);
  },

  decapsulationPairs(_pk, sk, ct, lsss, rows, coeffs) {
    const groups = resolveRows(lsss, ct.C.length, rows, coeffs, (x) => sk.Kx.has(x));
    // e(C', K) · e(-sum w_i C_i, L) · prod_x e(K_x, -sum_{rho(i)=x} w_i D_i)
    const Ps: G1[] = [ct.Cprime];
    const Qs: G2[] = [sk.K];
    const Cs: G1[] = [];
    const negW: bigint[] = [];
    for (const [x, used] of groups) {
      const Kx = sk.Kx.get(x) as G1;
      for (const { i, w } of used) {
        Cs.push(ct.C[i] as G1);
        negW.push(negMod(w));
      }
      const u = used[0]!;
      if (used.length === 1) {
        // One row: fold -w_i into the G1 side (a G1 multiplication; nothing or a negation for w_i = ±1).
        Ps.push(g1LinComb([Kx], [negMod(u.w)]));
        Qs.push(ct.D[u.i] as G2);
      } else {
        // Rows sharing an attribute share one Miller loop.
        Ps.push(Kx);
        Qs.push(
          g2LinComb(
            used.map(({ i }) => ct.D[i] as G2),
            used.map(({ w }) => negMod(w)),
          ),
        );
      }
    }
    Ps.push(g1LinComb(Cs, negW));
    Qs.push(sk.L);
    return { Ps, Qs };
  },

  checkEncapsulation(pk, lsss, ct, rand) {
    const { n, m } = checkLsss(lsss);
    if (ct.C.length !== n || ct.D.length !== n) return false;
    const { s, lambda } = shareSecret(lsss, m, rand);
    const r: Fr[] = [];
    for (let i = 0; i < n; i++) r.push(drawNonZero(rand));
    // G1: small-exponent batch test with fresh 128-bit weights rho_0..rho_n:
    //   rho_0 C' + sum_i rho_i C_i = g^{rho_0 s} · (g^a)^{sum_i rho_i lambda_i} · prod_i H_i^{-rho_i r_i}
    // (a wrong component makes the sides differ except with probability 2^-128; the ciphertext
    // points get the short weights in an MSM of their own). G2: every D_i is compared exactly
    // with g^{r_i} from the generator's fixed-base table (cheaper than an MSM of the D_i).
    const rho = batchWeights(n + 1);
    const rho0 = rho[0] as Fr;
    const bases: G1[] = [g1Generator(), pk.ga];
    const exps: Fr[] = [frMul(rho0, s), frFrom(0)];
    let sumRhoLambda = frFrom(0);
    for (let i = 0; i < n; i++) {
      const rhoi = rho[i + 1] as Fr;
      bases.push(H.hash(lsss.rowLabels[i] as string));
      exps.push(frNeg(frMul(rhoi, r[i] as Fr)));
      sumRhoLambda = frAdd(sumRhoLambda, frMul(rhoi, lambda[i] as Fr));
    }
    exps[1] = sumRhoLambda;
    // Constant-shape: every equation is computed before the verdict.
    const okG1 = g1Eq(g1Msm([ct.Cprime, ...ct.C], rho), g1Msm(bases, exps));
    let okG2 = true;
    for (let i = 0; i < n; i++) okG2 = g2Eq(ct.D[i] as G2, g2MulGenerator(r[i] as Fr)) && okG2;
    return okG1 && okG2;
  },

  writePublicKey(w: ByteWriter, pk) {
    writeG1(w, pk.ga);
    w.bytes(gtToBytes(pk.eggAlpha));
  },
  readPublicKey(r: ByteReader) {
    const ga = readG1(r, 'Waters11 public key g^a');
    const eggAlpha = gtFromBytes(r.bytes(GT_BYTES, 'e(g,g)^alpha'), 'Waters11 public key e(g,g)^alpha');
    return { ga, eggAlpha };
  },
  writeMasterKey(w, mk) {
    writeFr(w, mk.alpha);
    writeFr(w, mk.a);
  },
  readMasterKey(r) {
    return { alpha: readFr(r, 'Waters11 master key alpha'), a: readFr(r, 'Waters11 master key a') };
  },
  /** g^a and e(g,g)^alpha recomputed from the master secrets (a and alpha): the master key generated this public key. */
  validateMasterKey(pk, mk) {
    const okGa = g1Eq(pk.ga, g1Mul(g1Generator(), mk.a));
    const okEgg = gtEq(pk.eggAlpha, pair(g1Mul(g1Generator(), mk.alpha), g2Generator()));
    return okGa && okEgg;
  },
  writeSecretKey(w, sk) {
    writeG2(w, sk.K);
    writeG2(w, sk.L);
    w.u32(sk.Kx.size);
    for (const [x, Kx] of sk.Kx) {
      writeLabel(w, x);
      writeG1(w, Kx);
    }
  },
  readSecretKey(r) {
    const K = readG2(r, 'Waters11 secret key K');
    const L = readG2(r, 'Waters11 secret key L');
    const count = readAttributeCount(r);
    const Kx = new Map<string, G1>();
    for (let j = 0; j < count; j++) {
      const x = readLabel(r, `Waters11 secret key attribute ${j}`);
      checkUniqueLabel(Kx, x, 'Waters11 secret key');
      Kx.set(x, readG1(r, `Waters11 secret key K_x ${j}`));
    }
    return { K, L, Kx };
  },
  writeCiphertext(w, ct) {
    writeG1(w, ct.Cprime);
    for (let i = 0; i < ct.C.length; i++) {
      writeG1(w, ct.C[i] as G1);
      writeG2(w, ct.D[i] as G2);
    }
  },
  // D_i = g^{r_i} is compared exactly by checkEncapsulation: before that check it may skip the subgroup test.
  readCiphertext(r, nRows, opts) {
    checkRowCount(nRows, 'Waters11 ciphertext');
    const defer = opts?.forCcaCheck === true;
    const Cprime = readG1(r, "Waters11 ciphertext C'");
    const C: G1[] = [];
    const D: G2[] = [];
    for (let i = 0; i < nRows; i++) {
      C.push(readG1(r, `Waters11 ciphertext C_${i + 1}`));
      D.push(readG2Row(r, `Waters11 ciphertext D_${i + 1}`, defer));
    }
    return { Cprime, C, D };
  },

  counts: {
    keygen: (nAttributes) => ({ g2FixedMul: 2, hashG1: nAttributes, g1Mul: nAttributes }),
    encapsulate: (nRows) => ({ g1Mul: 1, g1MsmPoints: 2 * nRows, g2FixedMul: nRows, hashG1: nRows, gtPow: 1 }),
    // Worst case (distinct attributes, general coefficients): two G1 MSMs over the used rows;
    // w_i = +-1 turns a row's points into additions (measured: test/cpabe-op-counts.test.ts).
    decapsulate: (nRowsUsed) => ({ g1MsmPoints: 2 * nRowsUsed, millerPairs: nRowsUsed + 2, finalExp: 1 }),
    // G1 MSMs of n+1 (128-bit weights, counted as full-size points) and n+2 points, n fixed-base
    // G2 multiplications (each D_i compared exactly), plus the n attribute hashes when they are
    // not cached yet.
    checkEncapsulation: (nRows) => ({ g1MsmPoints: 2 * nRows + 3, g2FixedMul: nRows, hashG1: nRows }),
  },
};
