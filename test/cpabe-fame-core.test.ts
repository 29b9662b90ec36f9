import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fameCore } from '../src/cpabe/schemes/fame.js';
import { PolicySyntaxError } from '../src/errors.js';
import { ByteReader, ByteWriter } from '../src/internal/codec.js';
import * as P from '../src/pairing/index.js';
import {
  and,
  arbTree,
  evaluate,
  heldRows,
  leaf,
  leafCount,
  or,
  solve,
  type Tree,
  treeToLsss,
} from './cpabe-helpers.js';
import { runs, testCurve, testOrder } from './helpers.js';

beforeAll(() => P.init());

const R = testOrder();
/** Encoded sizes of the curve under test (BN254 32/64/384, BLS12-381 48/96/576). */
const { g1Bytes: G1B, g2Bytes: G2B, gtBytes: GTB } = P.CURVES[testCurve()];
const universe = ['a', 'b', 'c', 'd', 'e', '01', 'f'];
const maxOcc = (labels: readonly string[]) => {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return Math.max(0, ...m.values());
};

describe('LSSS test oracle (secret sharing itself)', () => {
  it('shares reconstruct the secret exactly for authorized sets', () => {
    fc.assert(
      fc.property(
        arbTree(universe),
        fc.subarray(universe),
        fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: 40, maxLength: 40 }),
        (tree, attrs, rnd) => {
          const { matrix } = treeToLsss(tree);
          const labels = treeToLsss(tree).rowLabels;
          const set = new Set(attrs);
          const w = solve(matrix, heldRows(labels, set));
          expect(w !== null).toBe(evaluate(tree, set));
          if (w === null) return;
          const v = matrix[0]!.map((_, j) => rnd[j % 40] as bigint);
          const shares = matrix.map((row) => row.reduce((acc, m, j) => (acc + m * (v[j] as bigint)) % R, 0n));
          const rows = heldRows(labels, set);
          const rec = rows.reduce((acc, i, idx) => (acc + (w[idx] as bigint) * (shares[i] as bigint)) % R, 0n);
          expect(rec).toBe(v[0]);
        },
      ),
      { numRuns: runs(200) },
    );
  });
});

describe('FAME core', () => {
  it('decapsulates exactly the encapsulated key when the attributes satisfy the tree', () => {
    const { pk, mk } = fameCore.setup(P.frRandom);
    fc.assert(
      fc.property(
        arbTree(universe).filter((t) => leafCount(t) <= 12 && maxOcc(treeToLsss(t).rowLabels) <= 2),
        fc.subarray(universe),
        (tree, attrs) => {
          const lsss = treeToLsss(tree);
          const set = new Set(attrs);
          const rows = heldRows(lsss.rowLabels, set);
          const w = solve(lsss.matrix, rows);
          expect(w !== null).toBe(evaluate(tree, set));
          const sk = fameCore.keygen(pk, mk, attrs, P.frRandom);
          const { ct, key } = fameCore.encapsulate(pk, lsss, P.frRandom);
          if (w !== null) {
            expect(P.gtEq(fameCore.decapsulate(pk, sk, ct, lsss, rows, w), key)).toBe(true);
          } else if (rows.length > 0) {
            // Unauthorized: no combination of the held rows reaches (1, 0, ..., 0), so the best
            // the key can do (here: random coefficients on every held row) misses the key.
            const guess = rows.map(() => P.frToBigint(P.frRandom()));
            expect(P.gtEq(fameCore.decapsulate(pk, sk, ct, lsss, rows, guess), key)).toBe(false);
          }
        },
      ),
      { numRuns: runs(12, { heavy: true }) },
    );
  });

  it('handles an attribute repeated up to maxRepeats, rejects more', () => {
    const { pk, mk } = fameCore.setup(P.frRandom, { maxRepeats: 2 });
    const tree: Tree = or(and(leaf('a'), leaf('b')), and(leaf('a'), leaf('c')));
    const lsss = treeToLsss(tree);
    const sk = fameCore.keygen(pk, mk, ['a', 'c'], P.frRandom);
    const { ct, key } = fameCore.encapsulate(pk, lsss, P.frRandom);
    const rows = heldRows(lsss.rowLabels, new Set(['a', 'c'])).filter((i) => i >= 2);
    const w = solve(lsss.matrix, rows)!;
    expect(P.gtEq(fameCore.decapsulate(pk, sk, ct, lsss, rows, w), key)).toBe(true);
    const three = treeToLsss(and(leaf('a'), or(leaf('a'), leaf('b')), or(leaf('a'), leaf('c'))));
    expect(() => fameCore.encapsulate(pk, three, P.frRandom)).toThrow(PolicySyntaxError);
  });

  it('resists collusion: mixing the components of two keys does not decapsulate', () => {
    const { pk, mk } = fameCore.setup(P.frRandom);
    const lsss = treeToLsss(and(leaf('a'), leaf('b')));
    const ska = fameCore.keygen(pk, mk, ['a'], P.frRandom);
    const skb = fameCore.keygen(pk, mk, ['b'], P.frRandom);
    const { ct, key } = fameCore.encapsulate(pk, lsss, P.frRandom);
    const w = solve(lsss.matrix, [0, 1])!;
    const mixedA = { ...ska, sky: new Map([...ska.sky, ...skb.sky]) };
    const mixedB = { ...skb, sky: new Map([...skb.sky, ...ska.sky]) };
    expect(P.gtEq(fameCore.decapsulate(pk, mixedA, ct, lsss, [0, 1], w), key)).toBe(false);
    expect(P.gtEq(fameCore.decapsulate(pk, mixedB, ct, lsss, [0, 1], w), key)).toBe(false);
    // a legitimate key with both attributes works
    const skab = fameCore.keygen(pk, mk, ['a', 'b'], P.frRandom);
    expect(P.gtEq(fameCore.decapsulate(pk, skab, ct, lsss, [0, 1], w), key)).toBe(true);
  });

  it('separates attribute hashes from column hashes (attribute "01" vs column 1)', () => {
    const { pk, mk } = fameCore.setup(P.frRandom);
    const lsss = treeToLsss(and(leaf('01'), leaf('1')));
    const sk = fameCore.keygen(pk, mk, ['01', '1'], P.frRandom);
    const { ct, key } = fameCore.encapsulate(pk, lsss, P.frRandom);
    const w = solve(lsss.matrix, [0, 1])!;
    expect(P.gtEq(fameCore.decapsulate(pk, sk, ct, lsss, [0, 1], w), key)).toBe(true);
  });

  it('checkEncapsulation accepts the honest stream and rejects changed components or streams', () => {
    const { pk } = fameCore.setup(P.frRandom);
    const lsss = treeToLsss(
      or(and(leaf('a'), leaf('b')), leaf('c'), { k: 2, children: [leaf('d'), leaf('e'), leaf('f')] }),
    );
    const seeds = [P.frRandom(), P.frRandom()];
    const replay = () => {
      let i = 0;
      return () => seeds[i++ % 2] as P.Fr;
    };
    const { ct } = fameCore.encapsulate(pk, lsss, replay());
    expect(fameCore.checkEncapsulation(pk, lsss, ct, replay())).toBe(true);
    expect(fameCore.checkEncapsulation(pk, lsss, ct, P.frRandom)).toBe(false);
    for (let i = 0; i < ct.cti.length; i++) {
      for (let l = 0; l < 3; l++) {
        const cti = ct.cti.map((row, r) =>
          r === i ? (row.map((p, q) => (q === l ? P.g1Add(p, P.g1Generator()) : p)) as unknown as typeof row) : row,
        );
        expect(fameCore.checkEncapsulation(pk, lsss, { ...ct, cti }, replay())).toBe(false);
      }
    }
    const ct0 = [ct.ct0[0], ct.ct0[1], P.g2Add(ct.ct0[2], P.g2Generator())] as const;
    expect(fameCore.checkEncapsulation(pk, lsss, { ...ct, ct0 }, replay())).toBe(false);
  });

  it('encodings round-trip', () => {
    const { pk, mk } = fameCore.setup(P.frRandom, { maxRepeats: 3 });
    const sk = fameCore.keygen(pk, mk, ['x', 'y'], P.frRandom);
    const lsss = treeToLsss(and(leaf('x'), leaf('y')));
    const { ct } = fameCore.encapsulate(pk, lsss, P.frRandom);
    const rt = <T>(write: (w: ByteWriter, v: T) => void, read: (r: ByteReader) => T, v: T) => {
      const w = new ByteWriter();
      write(w, v);
      const bytes = w.finish();
      const r = new ByteReader(bytes, 'test');
      const back = read(r);
      r.end();
      const w2 = new ByteWriter();
      write(w2, back);
      expect(w2.finish()).toEqual(bytes);
      return bytes;
    };
    expect(rt(fameCore.writePublicKey, fameCore.readPublicKey, pk).length).toBe(1 + 2 * G2B + 2 * GTB);
    expect(rt(fameCore.writeMasterKey, fameCore.readMasterKey, mk).length).toBe(4 * 32 + 3 * G1B);
    rt(fameCore.writeSecretKey, fameCore.readSecretKey, sk);
    const ctBytes = rt(fameCore.writeCiphertext, (r) => fameCore.readCiphertext(r, 2), ct);
    expect(ctBytes.length).toBe(3 * G2B + 2 * 3 * G1B);
  });
});
