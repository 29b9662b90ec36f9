import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lsss, ScalarSource } from '../src/cpabe/scheme.js';
import { type Bsw07Ciphertext, type Bsw07SecretKey, bsw07Core as core } from '../src/cpabe/schemes/bsw07.js';
import { AttributeHasher } from '../src/cpabe/schemes/internal-w11-bsw/attribute-hash.js';
import { DecryptionError, InvalidArgumentError, InvalidEncodingError } from '../src/errors.js';
import { ByteReader, ByteWriter } from '../src/internal/codec.js';
import * as P from '../src/pairing/index.js';
import {
  minimalSatisfyingSet,
  parsePolicy,
  reconstructionCoefficients,
  satisfies,
  toLsss,
} from '../src/policy/index.js';
import { runs, testCurve, testOrder } from './helpers.js';

// ---------- helpers (LSSS by hand, a solver mod r, a deterministic scalar stream) ----------
const R = testOrder();
/** Encoded sizes of the curve under test (BN254 32/64/384, BLS12-381 48/96/576). */
const { g1Bytes: G1B, g2Bytes: G2B, gtBytes: GTB } = P.CURVES[testCurve()];
const mod = (x: bigint) => ((x % R) + R) % R;
const inv = (x: bigint) => {
  let [a, b, u, v] = [mod(x), R, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b, u, v] = [b, a - q * b, v, u - q * v];
  }
  return mod(u);
};
/** AND of labels (Lewko–Waters): rows e1+e2, -e2+e3, ..., -en; all coefficients 1. */
const andLsss = (labels: string[]): Lsss => {
  const n = labels.length;
  const matrix = labels.map((_, i) => {
    const row = new Array<bigint>(n).fill(0n);
    if (n === 1) row[0] = 1n;
    else if (i === 0) [row[0], row[1]] = [1n, 1n];
    else {
      row[i] = R - 1n;
      if (i + 1 < n) row[i + 1] = 1n;
    }
    return row;
  });
  return { matrix, rowLabels: labels };
};
const orLsss = (labels: string[]): Lsss => ({ matrix: labels.map(() => [1n]), rowLabels: labels });
/** t-of-n threshold (Vandermonde rows (1, x, ..., x^{t-1}) for x = 1..n). */
const thresholdLsss = (t: number, labels: string[]): Lsss => ({
  matrix: labels.map((_, i) => Array.from({ length: t }, (_, j) => mod(BigInt(i + 1) ** BigInt(j)))),
  rowLabels: labels,
});
/** Coefficients w with sum w_i M_i = (1, 0, ..., 0) over the given rows, or null. */
const solve = (lsss: Lsss, rows: number[]): bigint[] | null => {
  const m = lsss.matrix[0]!.length;
  const k = rows.length;
  // Augmented m x (k+1) system: columns are the rows' vectors, target e1.
  const A = Array.from({ length: m }, (_, r) => [...rows.map((i) => lsss.matrix[i]![r]!), r === 0 ? 1n : 0n]);
  const pivots: number[] = [];
  let pr = 0;
  for (let c = 0; c < k && pr < m; c++) {
    const p = A.findIndex((row, r) => r >= pr && row[c] !== 0n);
    if (p < 0) continue;
    [A[pr], A[p]] = [A[p]!, A[pr]!];
    const iv = inv(A[pr]![c]!);
    A[pr] = A[pr]!.map((x) => mod(x * iv));
    for (let r = 0; r < m; r++) {
      if (r !== pr && A[r]![c] !== 0n) {
        const f = A[r]![c]!;
        A[r] = A[r]!.map((x, j) => mod(x - f * A[pr]![j]!));
      }
    }
    pivots.push(c);
    pr++;
  }
  for (let r = pr; r < m; r++) if (A[r]![k] !== 0n) return null;
  const w = new Array<bigint>(k).fill(0n);
  pivots.forEach((c, r) => {
    w[c] = A[r]![k]!;
  });
  return w;
};
const drbg = (seed: number): ScalarSource => {
  let c = 0;
  return () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, seed);
    new DataView(b.buffer).setUint32(4, c++);
    return P.frFromWide(sha512(b));
  };
};
const enc = <T>(write: (w: ByteWriter, x: T) => void, x: T) => {
  const w = new ByteWriter();
  write(w, x);
  return w.finish();
};
const dec = <T>(read: (r: ByteReader) => T, b: Uint8Array): T => {
  const r = new ByteReader(b, 'test');
  const x = read(r);
  r.end();
  return x;
};
const expectCode = (f: () => unknown, cls: typeof InvalidEncodingError | typeof DecryptionError) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return;
  }
  expect.unreachable(`expected ${cls.name}`);
};
const rowsHeld = (lsss: Lsss, attrs: readonly string[]) =>
  lsss.rowLabels.flatMap((l, i) => (attrs.includes(l) ? [i] : []));
let badG1: Uint8Array;
let badG2: Uint8Array;

beforeAll(async () => {
  await P.init();
  const find = (size: number, decode: (b: Uint8Array) => unknown) => {
    for (let k = 1; ; k++) {
      const b = new Uint8Array(size);
      b[0] = k;
      try {
        decode(b);
      } catch {
        return b;
      }
    }
  };
  badG1 = find(G1B, (b) => P.g1FromBytes(b));
  badG2 = find(G2B, (b) => P.g2FromBytes(b));
});

describe('bsw07 core: KEM correctness', () => {
  it('round trip for OR, AND and 2-of-3 with every authorized row set', () => {
    const { pk, mk } = core.setup(P.frRandom);
    const policies = [orLsss(['a', 'b']), andLsss(['a', 'b', 'c']), thresholdLsss(2, ['a', 'b', 'c'])];
    const key = core.keygen(pk, mk, ['a', 'b', 'c', 'z'], P.frRandom);
    expect(core.keyAttributes(key)).toEqual(['a', 'b', 'c', 'z']);
    for (const lsss of policies) {
      const { ct, key: Z } = core.encapsulate(pk, lsss, P.frRandom);
      const n = lsss.matrix.length;
      for (let mask = 1; mask < 1 << n; mask++) {
        const rows = [...Array(n).keys()].filter((i) => mask & (1 << i));
        const w = solve(lsss, rows);
        if (w === null) continue;
        expect(P.gtEq(core.decapsulate(pk, key, ct, lsss, rows, w), Z)).toBe(true);
      }
    }
  });

  it('random policies: authorized keys recover Z, unauthorized keys and wrong coefficients do not', () => {
    const { pk, mk } = core.setup(P.frRandom);
    const universe = ['a', 'b', 'c', 'd'];
    fc.assert(
      fc.property(
        fc.constantFrom('and', 'or', 'thr'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.subarray(universe),
        fc.bigInt({ min: 2n, max: R - 1n }),
        (kind, n, t0, attrs, junk) => {
          const labels = universe.slice(0, n);
          const lsss =
            kind === 'and' ? andLsss(labels) : kind === 'or' ? orLsss(labels) : thresholdLsss(Math.min(t0, n), labels);
          const { ct, key: Z } = core.encapsulate(pk, lsss, P.frRandom);
          const sk = core.keygen(pk, mk, [...attrs, 'x'], P.frRandom);
          const rows = rowsHeld(lsss, attrs);
          const w = solve(lsss, rows);
          if (w !== null) {
            expect(P.gtEq(core.decapsulate(pk, sk, ct, lsss, rows, w), Z)).toBe(true);
            // Scaling the coefficients breaks reconstruction.
            const bad = w.map((x) => mod(x * junk));
            expect(P.gtEq(core.decapsulate(pk, sk, ct, lsss, rows, bad), Z)).toBe(false);
          } else if (rows.length > 0) {
            // No coefficient vector over the held rows reconstructs: try ones and random ones.
            expect(
              P.gtEq(
                core.decapsulate(
                  pk,
                  sk,
                  ct,
                  lsss,
                  rows,
                  rows.map(() => 1n),
                ),
                Z,
              ),
            ).toBe(false);
            expect(
              P.gtEq(
                core.decapsulate(
                  pk,
                  sk,
                  ct,
                  lsss,
                  rows,
                  rows.map(() => junk),
                ),
                Z,
              ),
            ).toBe(false);
          }
          const missing = lsss.rowLabels.findIndex((l) => !attrs.includes(l));
          if (missing >= 0) expectCode(() => core.decapsulate(pk, sk, ct, lsss, [missing], [1n]), DecryptionError);
        },
      ),
      { numRuns: runs(12, { heavy: true }) },
    );
  });

  it('rows sharing a label (one Miller loop per attribute) and general coefficients', () => {
    const { pk, mk } = core.setup(P.frRandom);
    const lsss = thresholdLsss(3, ['a', 'a', 'b', 'c', 'a']);
    const sk = core.keygen(pk, mk, ['a', 'c'], P.frRandom);
    const { ct, key: Z } = core.encapsulate(pk, lsss, P.frRandom);
    for (const rows of [
      [0, 1, 3],
      [0, 1, 4],
      [1, 3, 4],
      [0, 1, 3, 4],
    ]) {
      const w = solve(lsss, rows)!;
      expect(P.gtEq(core.decapsulate(pk, sk, ct, lsss, rows, w), Z)).toBe(true);
    }
    expect(solve(lsss, [0, 1])).toBeNull();
    // Single rows with coefficients -1 and 1/2 (M = (-1) and (2)).
    for (const [x, w] of [
      [R - 1n, R - 1n],
      [2n, inv(2n)],
    ] as const) {
      const one: Lsss = { matrix: [[x]], rowLabels: ['c'] };
      const e = core.encapsulate(pk, one, P.frRandom);
      expect(P.gtEq(core.decapsulate(pk, sk, e.ct, one, [0], [w]), e.key)).toBe(true);
      expect(P.gtEq(core.decapsulate(pk, sk, e.ct, one, [0], [1n]), e.key)).toBe(false);
    }
  });

  it('collusion: mixing the components of two keys (halves of an AND) does not give Z', () => {
    const { pk, mk } = core.setup(P.frRandom);
    const lsss = andLsss(['a', 'b']);
    const { ct, key: Z } = core.encapsulate(pk, lsss, P.frRandom);
    const k1 = core.keygen(pk, mk, ['a'], P.frRandom);
    const k2 = core.keygen(pk, mk, ['b'], P.frRandom);
    const both = new Map([...k1.comps, ...k2.comps]);
    for (const base of [k1, k2]) {
      const mixed: Bsw07SecretKey = { D: base.D, comps: both };
      expect(P.gtEq(core.decapsulate(pk, mixed, ct, lsss, [0, 1], [1n, 1n]), Z)).toBe(false);
    }
    // Even D_j from one key with D'_j from the other.
    const a1 = k1.comps.get('a')!;
    const b2 = k2.comps.get('b')!;
    const crossed: Bsw07SecretKey = {
      D: k1.D,
      comps: new Map([
        ['a', a1],
        ['b', { Dj: b2.Dj, Djp: a1.Djp }],
      ]),
    };
    expect(P.gtEq(core.decapsulate(pk, crossed, ct, lsss, [0, 1], [1n, 1n]), Z)).toBe(false);
    // Sanity: a single key with both attributes works.
    const k3 = core.keygen(pk, mk, ['a', 'b'], P.frRandom);
    expect(P.gtEq(core.decapsulate(pk, k3, ct, lsss, [0, 1], [1n, 1n]), Z)).toBe(true);
  });

  it('a key from another authority does not decrypt', () => {
    const A = core.setup(P.frRandom);
    const B = core.setup(P.frRandom);
    const lsss = orLsss(['a']);
    const { ct, key: Z } = core.encapsulate(A.pk, lsss, P.frRandom);
    const sk = core.keygen(B.pk, B.mk, ['a'], P.frRandom);
    expect(P.gtEq(core.decapsulate(A.pk, sk, ct, lsss, [0], [1n]), Z)).toBe(false);
  });

  it('decapsulate rejects inconsistent row arguments with the generic DecryptionError', () => {
    const { pk, mk } = core.setup(P.frRandom);
    const lsss = orLsss(['a', 'b']);
    const sk = core.keygen(pk, mk, ['a', 'b'], P.frRandom);
    const { ct } = core.encapsulate(pk, lsss, P.frRandom);
    for (const [rows, w] of [
      [[2], [1n]],
      [[-1], [1n]],
      [
        [0, 0],
        [1n, 1n],
      ],
      [[0], []],
      [[0.5], [1n]],
    ] as [number[], bigint[]][]) {
      expectCode(() => core.decapsulate(pk, sk, ct, lsss, rows, w), DecryptionError);
    }
    // Zero coefficients are skipped: a well-defined (wrong) result, no crash.
    const { ct: ct0, key: Z0 } = core.encapsulate(pk, lsss, P.frRandom);
    expect(P.gtEq(core.decapsulate(pk, sk, ct0, lsss, [0, 1], [0n, 0n]), Z0)).toBe(false);
    expect(P.gtEq(core.decapsulate(pk, sk, ct0, lsss, [0, 1], [0n, 1n]), Z0)).toBe(true);
    const short: Bsw07Ciphertext = { C: ct.C, Cy: ct.Cy.slice(1), Cyp: ct.Cyp.slice(1) };
    expectCode(() => core.decapsulate(pk, sk, short, lsss, [0], [1n]), DecryptionError);
  });
});

describe('bsw07 core: LSSS from bpds/policy', () => {
  const leaf = fc.constantFrom('a', 'b', 'c', 'd', 'e');
  const { tree } = fc.letrec<{ tree: string }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('tree'), tie('tree')).map(([x, y]) => `(${x} and ${y})`),
      fc.tuple(tie('tree'), tie('tree')).map(([x, y]) => `(${x} or ${y})`),
      fc
        .array(tie('tree'), { minLength: 2, maxLength: 3 })
        .chain((xs) => fc.integer({ min: 1, max: xs.length }).map((k) => `${k} of (${xs.join(', ')})`)),
    ),
  }));

  it('Z is recovered exactly when the key satisfies the policy (and the LSSS agrees with an independent solver)', () => {
    const { pk, mk } = core.setup(P.frRandom);
    fc.assert(
      fc.property(
        tree,
        fc.subarray(['a', 'b', 'c', 'd', 'e']),
        fc.bigInt({ min: 2n, max: R - 1n }),
        (text, attrs, junk) => {
          const policy = parsePolicy(text);
          const lsss = toLsss(policy, R);
          const { ct, key: Z } = core.encapsulate(pk, lsss, P.frRandom);
          const sk = core.keygen(pk, mk, attrs, P.frRandom);
          const held = rowsHeld(lsss, attrs);
          const used = minimalSatisfyingSet(policy, attrs);
          expect(used !== null).toBe(satisfies(policy, attrs));
          // Independent check of the sharing: the held rows span (1, 0, ..., 0) iff authorized.
          expect(solve(lsss, held) !== null).toBe(used !== null);
          if (used !== null) {
            const w = reconstructionCoefficients(lsss, used, R);
            expect(P.gtEq(core.decapsulate(pk, sk, ct, lsss, used, w), Z)).toBe(true);
          } else if (held.length > 0) {
            const ones = held.map(() => 1n);
            expect(P.gtEq(core.decapsulate(pk, sk, ct, lsss, held, ones), Z)).toBe(false);
            expect(
              P.gtEq(
                core.decapsulate(
                  pk,
                  sk,
                  ct,
                  lsss,
                  held,
                  held.map(() => junk),
                ),
                Z,
              ),
            ).toBe(false);
          }
        },
      ),
      { numRuns: runs(15, { heavy: true }) },
    );
  });
});

describe('bsw07 core: deterministic encapsulation and the CCA check', () => {
  const lsss = thresholdLsss(2, ['a', 'b', 'c']);

  it('encapsulate is a function of the scalar stream', () => {
    const { pk } = core.setup(P.frRandom);
    const a = core.encapsulate(pk, lsss, drbg(7));
    const b = core.encapsulate(pk, lsss, drbg(7));
    const c = core.encapsulate(pk, lsss, drbg(8));
    expect(enc(core.writeCiphertext, a.ct)).toEqual(enc(core.writeCiphertext, b.ct));
    expect(P.gtEq(a.key, b.key)).toBe(true);
    expect(enc(core.writeCiphertext, a.ct)).not.toEqual(enc(core.writeCiphertext, c.ct));
  });

  it('checkEncapsulation: true for honest, false for any single tampered component', () => {
    const { pk } = core.setup(P.frRandom);
    const { ct } = core.encapsulate(pk, lsss, drbg(1));
    expect(core.checkEncapsulation(pk, lsss, ct, drbg(1))).toBe(true);
    expect(core.checkEncapsulation(pk, lsss, ct, drbg(2))).toBe(false);
    const g1 = () => P.g1Mul(P.g1Generator(), P.frRandom());
    const g2 = () => P.g2Mul(P.g2Generator(), P.frRandom());
    const variants: Bsw07Ciphertext[] = [
      { ...ct, C: g1() },
      { ...ct, C: P.g1Neg(ct.C) },
    ];
    for (let i = 0; i < ct.Cy.length; i++) {
      variants.push({ ...ct, Cy: ct.Cy.map((x, j) => (j === i ? g2() : x)) });
      variants.push({ ...ct, Cyp: ct.Cyp.map((x, j) => (j === i ? g1() : x)) });
      // Subtle tampers: add the generator, or negate.
      variants.push({ ...ct, Cyp: ct.Cyp.map((x, j) => (j === i ? P.g1Add(x, P.g1Generator()) : x)) });
      variants.push({ ...ct, Cy: ct.Cy.map((x, j) => (j === i ? P.g2Neg(x) : x)) });
    }
    variants.push({ ...ct, Cy: [ct.Cy[1]!, ct.Cy[0]!, ct.Cy[2]!], Cyp: [ct.Cyp[1]!, ct.Cyp[0]!, ct.Cyp[2]!] });
    variants.push({ ...ct, Cy: ct.Cy.slice(0, 2), Cyp: ct.Cyp.slice(0, 2) });
    for (const v of variants) expect(core.checkEncapsulation(pk, lsss, v, drbg(1))).toBe(false);
    // Another public key with the same stream does not match either.
    expect(core.checkEncapsulation(core.setup(P.frRandom).pk, lsss, ct, drbg(1))).toBe(false);
    // A different policy with the same stream does not match.
    expect(core.checkEncapsulation(pk, thresholdLsss(2, ['a', 'b', 'd']), ct, drbg(1))).toBe(false);
  });
});

describe('bsw07 core: encodings', () => {
  const lsss = andLsss(['a', 'b']);
  let fixture: ReturnType<typeof makeFixture>;
  const makeFixture = () => {
    const { pk, mk } = core.setup(P.frRandom);
    const sk = core.keygen(pk, mk, ['a', 'b', 'ünïcødé'], P.frRandom);
    const { ct, key } = core.encapsulate(pk, lsss, P.frRandom);
    return { pk, mk, sk, ct, key };
  };
  const readCt = (r: ByteReader) => core.readCiphertext(r, 2);
  beforeAll(() => {
    fixture = makeFixture();
  });

  it('round-trip and sizes (pk 416, mk 64, sk 68 + per attribute 100 + label, ct 32 + 96 per row)', () => {
    const { pk, mk, sk, ct, key } = fixture;
    const bytes = {
      pk: enc(core.writePublicKey, pk),
      mk: enc(core.writeMasterKey, mk),
      sk: enc(core.writeSecretKey, sk),
      ct: enc(core.writeCiphertext, ct),
    };
    expect(bytes.pk.length).toBe(G1B + GTB);
    expect(bytes.mk.length).toBe(64);
    expect(bytes.sk.length).toBe(G2B + 4 + 3 * (4 + G1B + G2B) + 1 + 1 + new TextEncoder().encode('ünïcødé').length);
    expect(bytes.ct.length).toBe(G1B + 2 * (G1B + G2B));
    const pk2 = dec(core.readPublicKey, bytes.pk);
    const mk2 = dec(core.readMasterKey, bytes.mk);
    const sk2 = dec(core.readSecretKey, bytes.sk);
    const ct2 = dec(readCt, bytes.ct);
    expect(enc(core.writePublicKey, pk2)).toEqual(bytes.pk);
    expect(enc(core.writeMasterKey, mk2)).toEqual(bytes.mk);
    expect(enc(core.writeSecretKey, sk2)).toEqual(bytes.sk);
    expect(enc(core.writeCiphertext, ct2)).toEqual(bytes.ct);
    expect(core.keyAttributes(sk2)).toEqual(['a', 'b', 'ünïcødé']);
    expect(P.gtEq(core.decapsulate(pk2, sk2, ct2, lsss, [0, 1], [1n, 1n]), key)).toBe(true);
    // Keys made with the decoded master key work too.
    const sk3 = core.keygen(pk2, mk2, ['a', 'b'], P.frRandom);
    expect(P.gtEq(core.decapsulate(pk2, sk3, ct2, lsss, [0, 1], [1n, 1n]), key)).toBe(true);
  });

  it('every truncation and any extra byte is InvalidEncodingError', () => {
    const { pk, mk, sk, ct } = fixture;
    const cases: [Uint8Array, (r: ByteReader) => unknown][] = [
      [enc(core.writePublicKey, pk), core.readPublicKey],
      [enc(core.writeMasterKey, mk), core.readMasterKey],
      [enc(core.writeSecretKey, sk), core.readSecretKey],
      [enc(core.writeCiphertext, ct), readCt],
    ];
    for (const [b, read] of cases) {
      for (let k = 0; k < b.length; k += 7) expectCode(() => dec(read, b.subarray(0, k)), InvalidEncodingError);
      expectCode(() => dec(read, b.subarray(0, b.length - 1)), InvalidEncodingError);
      expectCode(() => dec(read, Uint8Array.of(...b, 0)), InvalidEncodingError);
    }
  });

  it('identity, off-curve and out-of-range fields are InvalidEncodingError', () => {
    const { sk, ct, mk } = fixture;
    const ctB = enc(core.writeCiphertext, ct);
    const skB = enc(core.writeSecretKey, sk);
    const put = (b: Uint8Array, at: number, x: Uint8Array) => {
      const c = Uint8Array.from(b);
      c.set(x, at);
      return c;
    };
    const zero1 = P.g1ToBytes(P.g1Identity());
    const zero2 = P.g2ToBytes(P.g2Identity());
    // ct: C at 0, row y: C_y at 32 + 96 y, C'_y at 96 + 96 y.
    for (const [at, z, bad] of [
      [0, zero1, badG1],
      [G1B, zero2, badG2],
      [G1B + G2B, zero1, badG1],
      [2 * G1B + G2B, zero2, badG2],
      [2 * G1B + 2 * G2B, zero1, badG1],
    ] as const) {
      expectCode(() => dec(readCt, put(ctB, at, z)), InvalidEncodingError);
      expectCode(() => dec(readCt, put(ctB, at, bad)), InvalidEncodingError);
    }
    // sk: D at 0, first D_j and D'_j after count + label 'a'.
    for (const [at, z, bad] of [
      [0, zero2, badG2],
      [G2B + 4 + 5, zero1, badG1],
      [G2B + 4 + 5 + G1B, zero2, badG2],
    ] as const) {
      expectCode(() => dec(core.readSecretKey, put(skB, at, z)), InvalidEncodingError);
      expectCode(() => dec(core.readSecretKey, put(skB, at, bad)), InvalidEncodingError);
    }
    // Huge attribute count, invalid UTF-8 label, empty label, duplicate label.
    expectCode(() => dec(core.readSecretKey, put(skB, G2B, Uint8Array.of(0, 0, 0x10, 1))), InvalidEncodingError);
    expectCode(() => dec(core.readSecretKey, put(skB, G2B + 4 + 4, Uint8Array.of(0xff))), InvalidEncodingError);
    const k1 = enc(core.writeSecretKey, { ...sk, comps: new Map([['a', sk.comps.get('a')!]]) });
    expectCode(() => dec(core.readSecretKey, put(k1, G2B + 4, Uint8Array.of(0, 0, 0, 0))), InvalidEncodingError);
    const dup = Uint8Array.from([...k1, ...k1.subarray(G2B + 4)]);
    dup.set(Uint8Array.of(0, 0, 0, 2), G2B);
    expectCode(() => dec(core.readSecretKey, dup), InvalidEncodingError);
    const dupOk = Uint8Array.from(dup);
    dupOk[G2B + 4 + 4 + 5 + G1B + G2B] = 'b'.charCodeAt(0);
    expect(core.keyAttributes(dec(core.readSecretKey, dupOk))).toEqual(['a', 'b']);
    // Master key: scalar >= r and zero.
    const mkB = enc(core.writeMasterKey, mk);
    expectCode(() => dec(core.readMasterKey, put(mkB, 0, new Uint8Array(32).fill(0xff))), InvalidEncodingError);
    expectCode(() => dec(core.readMasterKey, put(mkB, 32, new Uint8Array(32))), InvalidEncodingError);
    // Row counts outside [1, 4096].
    for (const n of [0, -1, 4097, 1.5])
      expectCode(() => core.readCiphertext(new ByteReader(ctB, 't'), n), InvalidEncodingError);
  });

  it('public key: tampered e(g,g)^alpha is rejected (GT subgroup check)', () => {
    const b = enc(core.writePublicKey, fixture.pk);
    const c = Uint8Array.from(b);
    c[100] = (c[100] as number) ^ 1;
    expectCode(() => dec(core.readPublicKey, c), InvalidEncodingError);
  });

  it('random byte mutations: InvalidEncodingError or a value that re-encodes to the same bytes', () => {
    const ctB = enc(core.writeCiphertext, fixture.ct);
    const skB = enc(core.writeSecretKey, fixture.sk);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), (useCt, pos, x) => {
        const b = Uint8Array.from(useCt ? ctB : skB);
        const at = pos % b.length;
        b[at] = (b[at] as number) ^ x;
        // Refused with InvalidEncodingError, or decoded to a value that re-encodes to exactly b.
        let again: Uint8Array;
        try {
          again = useCt
            ? enc(core.writeCiphertext, dec(readCt, b))
            : enc(core.writeSecretKey, dec(core.readSecretKey, b));
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidEncodingError);
          return;
        }
        expect(again).toEqual(b);
      }),
      { numRuns: runs(60) },
    );
  });
});

describe('bsw07 core: arguments, counts and the attribute hash', () => {
  it('bad keygen/encapsulate arguments are InvalidArgumentError', () => {
    const { pk, mk } = core.setup(P.frRandom);
    const bad = (f: () => unknown) => expect(f).toThrow(InvalidArgumentError);
    bad(() => core.keygen(pk, mk, ['a', 7 as unknown as string], P.frRandom));
    bad(() => core.keygen(pk, mk, [''], P.frRandom));
    bad(() => core.keygen(pk, mk, ['\ud800'], P.frRandom));
    bad(() => core.keygen(pk, mk, ['x'.repeat(1025)], P.frRandom));
    bad(() => core.encapsulate(pk, { matrix: [], rowLabels: [] }, P.frRandom));
    bad(() => core.encapsulate(pk, { matrix: [[1n]], rowLabels: ['a', 'b'] }, P.frRandom));
    bad(() => core.encapsulate(pk, { matrix: [[1n], [1n, 0n]], rowLabels: ['a', 'b'] }, P.frRandom));
    bad(() => core.encapsulate(pk, { matrix: [[R]], rowLabels: ['a'] }, P.frRandom));
    bad(() => core.encapsulate(pk, { matrix: [[]], rowLabels: ['a'] }, P.frRandom));
    // A broken scalar source that only returns zero fails instead of looping.
    expect(() => core.encapsulate(pk, orLsss(['a']), () => P.frFrom(0))).toThrow(RangeError);
  });

  // Operation counts: measured against the counts table in test/cpabe-op-counts.test.ts.

  it('the attribute hash cache is bounded and stable, and domain-separated', () => {
    const h = new AttributeHasher('bpds/v1/test/H', 2);
    const a = P.g1ToBytes(h.hash('a'));
    h.hash('b');
    h.hash('c');
    expect(h.size).toBe(2);
    expect(P.g1ToBytes(h.hash('a'))).toEqual(a);
    expect(P.g1ToBytes(new AttributeHasher('bpds/v1/test/H2').hash('a'))).not.toEqual(a);
  });
});
