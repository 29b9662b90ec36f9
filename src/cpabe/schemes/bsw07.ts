/**
 * BSW07: John Bethencourt, Amit Sahai, Brent Waters, "Ciphertext-Policy
 * Attribute-Based Encryption", IEEE S&P 2007, §4.2 (the construction). Paper names:
 *
 * - Setup: alpha, beta <- Zp; PK = (G0, g, h = g^beta, f = g^{1/beta}, e(g,g)^alpha);
 *   MK = (beta, g^alpha).
 * - KeyGen(MK, S): r <- Zp, r_j <- Zp per j in S; D = g^{(alpha + r)/beta},
 *   D_j = g^r H(j)^{r_j}, D'_j = g^{r_j}.
 * - Encrypt(PK, M, T): C~ = M e(g,g)^{alpha s}, C = h^s, and per leaf y:
 *   C_y = g^{q_y(0)}, C'_y = H(att(y))^{q_y(0)}.
 * - Decrypt: DecryptNode(leaf) = e(D_i, C_y) / e(D'_i, C'_y) = e(g,g)^{r q_y(0)};
 *   A = e(g,g)^{r s}; M = C~ / (e(C, D) / A).
 *
 * Access structure: the paper shares s down an access tree with random
 * polynomials q_x. Within the scheme-core contract the policy arrives as an LSSS
 * (the standard conversion of the same monotone threshold/AND/OR tree), so the
 * leaf shares q_y(0) are lambda_y = M_y · (s, y_2, ..., y_m) and the recursive
 * DecryptNode/Lagrange interpolation becomes the reconstruction coefficients w_y
 * (sum w_y lambda_y = s). This is the LSSS form of the tree sharing: the same
 * distribution of leaf shares for AND/OR/threshold trees, and the same key
 * and ciphertext components as the paper. Decrypt:
 *   Z = e(C, D) / prod_y (e(D_{att(y)}, C_y) / e(D'_{att(y)}, C'_y))^{w_y} = e(g,g)^{alpha s},
 * computed as ONE multi-pairing with the w_y folded into G1 points.
 * As a KEM the core returns Z and no C~. f = g^{1/beta} (only for delegation,
 * which bpds does not offer) is omitted from the public key.
 *
 * Type-3 placement (e : G1 x G2 -> GT). D_j and C'_y both carry H, so they share
 * a group, and C_y (paired with D_j) and D'_j (paired with C'_y) take the other.
 * We put H, h, C, C'_y and D_j in G1 and D, D'_j, C_y in G2: hashing is to G1,
 * the ciphertext has one G1 and one G2 point per row (unavoidable), keys one G1
 * and one G2 point per attribute. The master key stores the scalars beta and
 * alpha (D = g2^{(alpha + r)/beta} is one G2 multiplication).
 *
 * Randomness: every scalar comes from `rand` in a fixed order, keygen: r, then
 * r_j for each attribute in order; encapsulate: s, y_2..y_m; setup: alpha, beta.
 * Zero draws of s, r, r_j, alpha, beta are redrawn.
 */
import type { ByteReader, ByteWriter } from '../../internal/codec.js';
import {
  type Fr,
  frAdd,
  frInv,
  frMul,
  type G1,
  type G2,
  type GT,
  GT_BYTES,
  g1Add,
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

/** BSW07 public key: h = g^beta in G1 and e(g,g)^alpha (g = the fixed generators). */
export interface Bsw07PublicKey {
  readonly h: G1;
  readonly eggAlpha: GT;
}
/** BSW07 master key: the scalars beta and alpha (the paper's MK = (beta, g^alpha)). */
export interface Bsw07MasterKey {
  readonly beta: Fr;
  readonly alpha: Fr;
}
/** One attribute's key components: D_j in G1, D'_j in G2. */
export interface Bsw07KeyComponent {
  readonly Dj: G1;
  readonly Djp: G2;
}
/** BSW07 secret key: D in G2 and (D_j, D'_j) per attribute j (insertion order kept). */
export interface Bsw07SecretKey {
  readonly D: G2;
  readonly comps: ReadonlyMap<string, Bsw07KeyComponent>;
}
/** BSW07 ciphertext components: C in G1 and, per row y, C_y in G2 and C'_y in G1. */
export interface Bsw07Ciphertext {
  readonly C: G1;
  readonly Cy: readonly G2[];
  readonly Cyp: readonly G1[];
}

/** H: attributes to G1 (random oracle), domain-separated for BSW07. */
const H = new AttributeHasher('bpds/v1/cpabe/bsw07/H');

/**
 * The BSW07 (IEEE S&P 2007, §4.2) scheme core, with LSSS shares in place of the
 * access-tree polynomials. Internal: the public CP-ABE API in `src/cpabe`
 * drives it through the {@link SchemeCore} contract.
 *
 * @throws {InvalidArgumentError} from `keygen`/`encapsulate` for malformed
 *   attributes or LSSS; {@link DecryptionError} from `decapsulate` when a row's
 *   attribute is not in the key; {@link InvalidEncodingError} from the readers.
 * @example
 * ```ts
 * import { frRandom, init } from '../../pairing/index.js';
 * await init();
 * const { pk, mk } = bsw07Core.setup(frRandom);
 * const sk = bsw07Core.keygen(pk, mk, ['doctor', 'cardiology'], frRandom);
 * const lsss = { matrix: [[1n], [1n]], rowLabels: ['doctor', 'nurse'] }; // doctor OR nurse
 * const { ct, key } = bsw07Core.encapsulate(pk, lsss, frRandom);
 * const z = bsw07Core.decapsulate(pk, sk, ct, lsss, [0], [1n]); // equals key
 * ```
 */
export const bsw07Core: SchemeCore<Bsw07PublicKey, Bsw07MasterKey, Bsw07SecretKey, Bsw07Ciphertext> = {
  name: 'bsw07',
  id: SCHEME_IDS.bsw07,

  setup(rand: ScalarSource) {
    const alpha = drawNonZero(rand);
    const beta = drawNonZero(rand);
    const h = g1Mul(g1Generator(), beta);
    const eggAlpha = pair(g1Mul(g1Generator(), alpha), g2Generator());
    return { pk: { h, eggAlpha }, mk: { beta, alpha } };
  },

  keygen(_pk, mk, attributes, rand) {
    const S = keyAttributeList(attributes);
    const r = drawNonZero(rand);
    const D = g2MulGenerator(frMul(frAdd(mk.alpha, r), frInv(mk.beta)));
    const gr = g1Mul(g1Generator(), r);
    const comps = new Map<string, Bsw07KeyComponent>();
    for (const j of S) {
      const Hj = H.hash(j);
      const rj = drawNonZero(rand);
      comps.set(j, { Dj: g1Add(gr, g1Mul(Hj, rj)), Djp: g2MulGenerator(rj) });
    }
    return { D, comps };
  },

  keyAttributes(sk) {
    return [...sk.comps.keys()];
  },

  encapsulate(pk, lsss, rand) {
    const { n, m } = checkLsss(lsss);
    const { s, lambda } = shareSecret(lsss, m, rand);
    const Cy: G2[] = [];
    const Cyp: G1[] = [];
    for (let y = 0; y < n; y++) {
      const q = lambda[y] as Fr;
      Cy.push(g2MulGenerator(q));
      Cyp.push(g1Mul(H.hash(lsss.rowLabels[y] as string), q));
    }
    return { ct: { C: g1Mul(pk.h, s), Cy, Cyp }, key: gtPow(pk.eggAlpha, s) };
  },

  decapsulate(pk, sk, ct, lsss, rows, coeffs) {
    const { Ps, Qs } = bsw07Core.decapsulationPairs(pk, sk, ct, lsss, rows, coeffs);
    return multiPairing(Ps, Qs);
  },

  decapsulationPairs(_pk, sk, ct, lsss, rows, coeffs) {
    const groups = resolveRows(lsss, ct.Cy.length, rows, coeffs, (j) => sk.comps.has(j));
    // e(C, D) · prod_j [ e(D_j, -sum w_y C_y) · e(sum w_y C'_y, D'_j) ] over rows y with att(y) = j
    const Ps: G1[] = [ct.C];
    const Qs: G2[] = [sk.D];
    for (const [j, used] of groups) {
      const { Dj, Djp } = sk.comps.get(j) as Bsw07KeyComponent;
      const u = used[0]!;
      if (used.length === 1) {
        // One row: fold w_y into the G1 sides (negations for w_y = 1).
        Ps.push(g1LinComb([Dj], [negMod(u.w)]));
        Qs.push(ct.Cy[u.i] as G2);
      } else {
        Ps.push(Dj);
        Qs.push(
          g2LinComb(
            used.map(({ i }) => ct.Cy[i] as G2),
            used.map(({ w }) => negMod(w)),
          ),
        );
      }
      Ps.push(
        g1LinComb(
          used.map(({ i }) => ct.Cyp[i] as G1),
          used.map(({ w }) => w),
        ),
      );
      Qs.push(Djp);
    }
    return { Ps, Qs };
  },

  checkEncapsulation(pk, lsss, ct, rand) {
    const { n, m } = checkLsss(lsss);
    if (ct.Cy.length !== n || ct.Cyp.length !== n) return false;
    const { s, lambda } = shareSecret(lsss, m, rand);
    // G1: small-exponent batch test with fresh 128-bit weights rho_0..rho_n:
    //   rho_0 C + sum_y rho_y C'_y = h^{rho_0 s} · prod_y H_y^{rho_y lambda_y}
    // (a wrong component makes the sides differ except with probability 2^-128; the ciphertext
    // points get the short weights in an MSM of their own). G2: every C_y is compared exactly
    // with g^{lambda_y} from the generator's fixed-base table (cheaper than an MSM of the C_y).
    const rho = batchWeights(n + 1);
    const bases: G1[] = [pk.h];
    const exps: Fr[] = [frMul(rho[0] as Fr, s)];
    for (let y = 0; y < n; y++) {
      bases.push(H.hash(lsss.rowLabels[y] as string));
      exps.push(frMul(rho[y + 1] as Fr, lambda[y] as Fr));
    }
    // Constant-shape: every equation is computed before the verdict.
    const okG1 = g1Eq(g1Msm([ct.C, ...ct.Cyp], rho), g1Msm(bases, exps));
    let okG2 = true;
    for (let y = 0; y < n; y++) okG2 = g2Eq(ct.Cy[y] as G2, g2MulGenerator(lambda[y] as Fr)) && okG2;
    return okG1 && okG2;
  },

  writePublicKey(w: ByteWriter, pk) {
    writeG1(w, pk.h);
    w.bytes(gtToBytes(pk.eggAlpha));
  },
  readPublicKey(r: ByteReader) {
    const h = readG1(r, 'BSW07 public key h');
    const eggAlpha = gtFromBytes(r.bytes(GT_BYTES, 'e(g,g)^alpha'), 'BSW07 public key e(g,g)^alpha');
    return { h, eggAlpha };
  },
  writeMasterKey(w, mk) {
    writeFr(w, mk.beta);
    writeFr(w, mk.alpha);
  },
  readMasterKey(r) {
    return { beta: readFr(r, 'BSW07 master key beta'), alpha: readFr(r, 'BSW07 master key alpha') };
  },
  /** h = g^beta and e(g,g)^alpha recomputed from the master secrets (beta and alpha): the master key generated this public key. */
  validateMasterKey(pk, mk) {
    const okH = g1Eq(pk.h, g1Mul(g1Generator(), mk.beta));
    const okEgg = gtEq(pk.eggAlpha, pair(g1Mul(g1Generator(), mk.alpha), g2Generator()));
    return okH && okEgg;
  },
  writeSecretKey(w, sk) {
    writeG2(w, sk.D);
    w.u32(sk.comps.size);
    for (const [j, { Dj, Djp }] of sk.comps) {
      writeLabel(w, j);
      writeG1(w, Dj);
      writeG2(w, Djp);
    }
  },
  readSecretKey(r) {
    const D = readG2(r, 'BSW07 secret key D');
    const count = readAttributeCount(r);
    const comps = new Map<string, Bsw07KeyComponent>();
    for (let k = 0; k < count; k++) {
      const j = readLabel(r, `BSW07 secret key attribute ${k}`);
      checkUniqueLabel(comps, j, 'BSW07 secret key');
      const Dj = readG1(r, `BSW07 secret key D_j ${k}`);
      const Djp = readG2(r, `BSW07 secret key D'_j ${k}`);
      comps.set(j, { Dj, Djp });
    }
    return { D, comps };
  },
  writeCiphertext(w, ct) {
    writeG1(w, ct.C);
    for (let y = 0; y < ct.Cy.length; y++) {
      writeG2(w, ct.Cy[y] as G2);
      writeG1(w, ct.Cyp[y] as G1);
    }
  },
  // C_y = g^{lambda_y} is compared exactly by checkEncapsulation: before that check it may skip the subgroup test.
  readCiphertext(r, nRows, opts) {
    checkRowCount(nRows, 'BSW07 ciphertext');
    const defer = opts?.forCcaCheck === true;
    const C = readG1(r, 'BSW07 ciphertext C');
    const Cy: G2[] = [];
    const Cyp: G1[] = [];
    for (let y = 0; y < nRows; y++) {
      Cy.push(readG2Row(r, `BSW07 ciphertext C_y ${y + 1}`, defer));
      Cyp.push(readG1(r, `BSW07 ciphertext C'_y ${y + 1}`));
    }
    return { C, Cy, Cyp };
  },

  counts: {
    keygen: (nAttributes) => ({ g1Mul: 1 + nAttributes, g2FixedMul: 1 + nAttributes, hashG1: nAttributes }),
    encapsulate: (nRows) => ({ g1Mul: 1 + nRows, g2FixedMul: nRows, hashG1: nRows, gtPow: 1 }),
    // Worst case (distinct attributes, general coefficients): two G1 MSMs over the used rows;
    // w_y = +-1 turns a row's points into additions (measured: test/cpabe-op-counts.test.ts).
    decapsulate: (nRowsUsed) => ({ g1MsmPoints: 2 * nRowsUsed, millerPairs: 2 * nRowsUsed + 1, finalExp: 1 }),
    // Two G1 MSMs of n+1 points (one with 128-bit weights, counted as full-size points), n
    // fixed-base G2 multiplications (each C_y compared exactly), plus the n attribute hashes
    // when they are not cached yet.
    checkEncapsulation: (nRows) => ({ g1MsmPoints: 2 * nRows + 2, g2FixedMul: nRows, hashG1: nRows }),
  },
};
