/**
 * The G2 membership test of src/pairing/subgroup.ts: its soundness argument recomputed from
 * the curve parameters, agreement with mcl's own order check ([r]Q by generic double-and-add)
 * on points inside and outside G2, and refusal of a non-subgroup point through the public
 * CP-ABE API (a mutation-style check: with the test switched off, these assertions fail).
 */
import fc from 'fast-check';
import type * as Mcl from 'mcl-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ciphertext, decapsulate, decrypt, encapsulate, encrypt, keygen, setup } from '../src/cpabe/index.js';
import { preparePolicy } from '../src/cpabe/internal/policy-bridge.js';
import { coreByName } from '../src/cpabe/schemes/index.js';
import { InvalidEncodingError } from '../src/errors.js';
import { ByteReader, ByteWriter } from '../src/internal/codec.js';
import * as P from '../src/pairing/index.js';
import { BN254_PSI, bn254G2InSubgroup } from '../src/pairing/subgroup.js';
import { runs } from './helpers.js';

let mcl: typeof Mcl;
beforeAll(async () => {
  await P.init();
  mcl = (await import('mcl-wasm')).default;
});

const u = P.BN254_U;
const p = P.BN254_P;
const r = P.BN254_R;
const t = 6n * u ** 2n + 1n;
const h2 = p - 1n + t; // #E'(Fp2) = r * h2 for the sextic twist carrying G2
const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

type G2 = InstanceType<typeof Mcl.G2>;
const fp2 = ([a, b]: readonly [bigint, bigint]) => {
  const f = new mcl.Fp2();
  f.setStr(`${a.toString(16)} ${b.toString(16)}`, 16);
  return f;
};
/** psi with mcl's typed API (the reference for the raw-heap version). */
function psi(Q: G2): G2 {
  const conj = (f: InstanceType<typeof Mcl.Fp2>) => {
    const g = f.clone();
    g.set_b(mcl.neg(f.get_b()));
    return g;
  };
  const R = new mcl.G2();
  R.setX(mcl.mul(conj(Q.getX()), fp2(BN254_PSI.cx)));
  R.setY(mcl.mul(conj(Q.getY()), fp2(BN254_PSI.cy)));
  R.setZ(conj(Q.getZ()));
  return R;
}
/** n Q by plain double-and-add (mcl's G2 `mul` uses GLV, only valid inside G2). */
function mulGeneric(Q: G2, n: bigint): G2 {
  let acc = new mcl.G2();
  for (let i = BigInt(n.toString(2).length) - 1n; i >= 0n; i--) {
    acc = mcl.dbl(acc);
    if ((n >> i) & 1n) acc = mcl.add(acc, Q);
  }
  return acc;
}
/** A point of the twist E'(Fp2): y^2 = x^3 + 2/(1+i) with x = (x0, 1), or null. */
function twistPoint(x0: bigint): G2 | null {
  const x = fp2([x0 % p, 1n]);
  const b = new mcl.Fp2();
  b.setInt(2, 0);
  const xi = new mcl.Fp2();
  xi.setInt(1, 1);
  const [ok, y] = mcl.squareRoot(mcl.add(mcl.mul(mcl.sqr(x), x), mcl.div(b, xi)));
  if (!ok) return null;
  const Q = new mcl.G2();
  Q.setX(x);
  Q.setY(y);
  const one = new mcl.Fp2();
  one.setInt(1, 0);
  Q.setZ(one);
  expect(Q.isValid()).toBe(true);
  return Q;
}
/** A non-zero point of order dividing h2 (the cofactor part), from the first usable x >= seed. */
function cofactorPoint(seed: bigint): G2 {
  for (let x = seed; ; x++) {
    const Q = twistPoint(x);
    if (Q === null) continue;
    const T = mulGeneric(Q, r);
    if (!T.isZero()) return T;
  }
}

describe('BN254 G2 membership test: why it is exact', () => {
  it('psi satisfies the Frobenius polynomial and acts on G2 as p = t - 1 (mod r)', () => {
    expect(p % r).toBe(t - 1n);
    expect(gcd(r, h2)).toBe(1n); // r^2 does not divide #E'(Fp2): G2 is its unique order-r subgroup
    const lambda = t - 1n;
    for (const seed of ['a', 'b', 'c']) {
      const Q = mcl.hashAndMapToG2(seed);
      const fr = new mcl.Fr();
      fr.setStr(lambda.toString(16), 16);
      expect(psi(Q).isEqual(mcl.mul(Q, fr))).toBe(true); // mul is fine: Q is in G2
      // psi^2 - t psi + p = 0 on the whole twist, also outside G2:
      const Pt = twistPoint(BigInt(seed.charCodeAt(0)) * 7919n) ?? cofactorPoint(5n);
      const lhs = mcl.add(psi(psi(Pt)), mulGeneric(Pt, p));
      expect(lhs.isEqual(mulGeneric(psi(Pt), t))).toBe(true);
    }
  });

  it("the test endomorphism vanishes on G2 and its norm shares exactly r with #E'(Fp2)", () => {
    // f = 2u psi^3 - u psi^2 - u psi - (u+1), reduced modulo psi^2 - t psi + p to a + b psi.
    const b = 2n * u * (t * t - p) - u * t - u;
    const a = -2n * u * t * p + u * p - u - 1n;
    const lambda = t - 1n;
    expect((((u + 1n + u * lambda + u * lambda ** 2n - 2n * u * lambda ** 3n) % r) + r) % r).toBe(0n);
    const norm = a * a + a * b * t + b * b * p;
    expect(gcd(norm, r * h2)).toBe(r);
  });
});

describe("BN254 G2 membership test: agrees with mcl's [r]Q check", () => {
  it('on G2 points, the identity, twist points, cofactor points and G2 + cofactor', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: p - 1n }), fc.string({ minLength: 1, maxLength: 8 }), (x0, s) => {
        const G = mcl.hashAndMapToG2(s);
        const T = cofactorPoint(x0);
        const cases: [G2, boolean][] = [
          [G, true],
          [mcl.dbl(G), true],
          [new mcl.G2(), true],
          [T, false],
          [mcl.add(G, T), false],
        ];
        const Q = twistPoint(x0);
        if (Q !== null) cases.push([Q, mulGeneric(Q, r).isZero()]);
        for (const [X, expected] of cases) {
          expect(X.isValidOrder()).toBe(expected); // mcl's own check: [r]X == 0
          expect(bn254G2InSubgroup(X)).toBe(expected);
        }
      }),
      { numRuns: runs(12) },
    );
  });

  it('decodes G2 points as shipped and refuses twist points outside G2', () => {
    const G = P.hashToG2('bpds/test', new Uint8Array([1]));
    const bytes = P.g2ToBytes(G);
    expect(P.g2Eq(P.g2FromBytes(bytes), G)).toBe(true);
    const bad = mcl.add(G as unknown as G2, cofactorPoint(11n)).serialize();
    expect(() => P.g2FromBytes(bad)).toThrow(InvalidEncodingError);
  });
});

describe('a non-subgroup point is refused through the public API', () => {
  /** Byte offset of the first G2 row component inside a scheme's ABE body. */
  const firstG2Row = { waters11: 32 + 32, bsw07: 32 } as const;

  it.each(['waters11', 'bsw07'] as const)(
    '%s: a G2 row moved off G2 is refused by decoding, decrypt and decapsulate',
    async (scheme) => {
      const { publicKey, masterKey } = setup({ scheme });
      const sk = keygen(masterKey, ['a', 'b']);
      const pt = new TextEncoder().encode('troponin 0.04 ng/mL');
      const ct = await encrypt(publicKey, 'a and b', pt);
      expect(await decrypt(sk, ct)).toEqual(pt);
      const parsed = Ciphertext.fromBytes(ct);
      const abeStart = parsed.headerBytes - 32 - parsed.abeBytes;
      const at = abeStart + firstG2Row[scheme];
      const row = P.g2FromBytes(ct.subarray(at, at + 64)) as unknown as G2; // really a G2 point at this offset
      const moved = mcl.add(row, cofactorPoint(3n));
      expect(moved.isValid()).toBe(true); // on the twist
      expect(mulGeneric(moved, r).isZero()).toBe(false); // outside G2
      const bad = ct.slice();
      bad.set(moved.serialize(), at);
      // Parsing an untrusted ciphertext validates every point.
      expect(() => Ciphertext.fromBytes(bad)).toThrow(InvalidEncodingError);
      // decrypt validates every point on decode too (the deferral to the CCA check is not enabled).
      await expect(decrypt(sk, bad)).rejects.toBeInstanceOf(InvalidEncodingError);
      // The CPA KEM has no check: its decoder validates the point.
      const kem = encapsulate(publicKey, 'a and b');
      const kemParsed = Ciphertext.fromBytes(kem.encapsulation);
      const kemAt = kemParsed.headerBytes - kemParsed.abeBytes + firstG2Row[scheme];
      const kemBad = kem.encapsulation.slice();
      kemBad.set(
        mcl.add(P.g2FromBytes(kemBad.subarray(kemAt, kemAt + 64)) as unknown as G2, cofactorPoint(3n)).serialize(),
        kemAt,
      );
      expect(() => decapsulate(sk, kemBad)).toThrow(InvalidEncodingError);
    },
  );

  it.each(['waters11', 'bsw07'] as const)(
    '%s: the CCA check refuses a deferred G2 row outside G2 with the honest coins (mutation-style)',
    (scheme) => {
      // The check itself must catch it: same coins, every other component honest. With the exact
      // G2 comparison switched off this returns true and the test fails.
      const core = coreByName(scheme)!;
      const { pk } = core.setup(P.frRandom, {});
      const policy = preparePolicy('a and b and c', 'policy');
      const stream = () => {
        let i = 0;
        return () => P.frFrom(4242 + i++);
      };
      const { ct } = core.encapsulate(pk, policy.lsss, stream());
      const w = new ByteWriter();
      core.writeCiphertext(w, ct);
      const body = w.finish();
      const read = (b: Uint8Array, forCcaCheck: boolean) => {
        const rd = new ByteReader(b, 'test');
        const c = core.readCiphertext(rd, 3, { forCcaCheck });
        rd.end();
        return c;
      };
      expect(core.checkEncapsulation(pk, policy.lsss, read(body, true), stream())).toBe(true);
      const at = firstG2Row[scheme];
      const bad = body.slice();
      bad.set(mcl.add(P.g2FromBytes(body.subarray(at, at + 64)) as unknown as G2, cofactorPoint(7n)).serialize(), at);
      expect(() => read(bad, false)).toThrow(InvalidEncodingError);
      expect(core.checkEncapsulation(pk, policy.lsss, read(bad, true), stream())).toBe(false);
    },
  );
});

describe('fixed-base multiplication by the G2 generator (src/pairing/fixed-base.ts)', () => {
  it('equals g2Mul(g2Generator(), s) for edge and random scalars', () => {
    const h = P.g2Generator();
    const edge = [0n, 1n, 2n, 63n, 64n, (1n << 252n) - 1n, 1n << 253n, r - 1n, r - 64n];
    for (const s of edge) expect(P.g2Eq(P.g2MulGenerator(P.frFrom(s)), P.g2Mul(h, P.frFrom(s)))).toBe(true);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: r - 1n }), (s) => {
        const a = P.g2MulGenerator(P.frFrom(s));
        expect(P.g2ToBytes(a)).toEqual(P.g2ToBytes(P.g2Mul(h, P.frFrom(s))));
      }),
      { numRuns: runs(40) },
    );
  });
});
