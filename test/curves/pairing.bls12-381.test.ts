// The pairing layer on BLS12-381: constants, the standard compressed encodings (ZCash / IETF
// pairing-friendly curves: 48-byte G1, 96-byte G2, flag bits) checked against @noble/curves,
// subgroup checks on decode for G1 (cofactor ~2^125) and G2, scalars, GT, the pairing.
import { readFileSync } from 'node:fs';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidEncodingError } from '../../src/errors.js';
import * as P from '../../src/pairing/index.js';
import { runs } from '../helpers.js';

const { Fp, Fp2, Fr } = bls12_381.fields;
const be = (n: bigint, len: number) => Uint8Array.from(Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex'));
const expectEncodingError = (f: () => unknown, pattern?: RegExp) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InvalidEncodingError);
  if (pattern) expect((err as Error).message).toMatch(pattern);
};
const scalar = () => fc.bigInt({ min: 1n, max: P.BLS12_381_R - 1n });

beforeAll(() => P.init({ curve: 'bls12-381' }));

describe('curve selection', () => {
  it('the loaded curve is BLS12-381 with its sizes', () => {
    expect(P.loadedCurve().name).toBe('bls12-381');
    expect([P.G1_BYTES, P.G2_BYTES, P.GT_BYTES, P.FR_BYTES]).toEqual([48, 96, 576, 32]);
    expect(P.groupOrder()).toBe(P.BLS12_381_R);
  });
  it('init with the same curve or none resolves; another curve or a bad option is a typed error', async () => {
    await P.init({ curve: 'bls12-381' });
    await P.init();
    await expect(P.init({ curve: 'bn254' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(P.init({ curve: 'bn254' })).rejects.toThrow(/already loaded curve bls12-381/);
    await expect(P.init({ curve: 'bls12_381' as never })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(P.init({ curv: 'bn254' } as never)).rejects.toThrow(/unknown option "curv"/);
    await expect(P.init('bls12-381' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(P.init(null as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('constants', () => {
  it('r and p follow from u = -0xd201000000010000 and match the published values', () => {
    expect(P.BLS12_381_R).toBe(Fr.ORDER);
    expect(P.BLS12_381_P).toBe(Fp.ORDER);
    expect(P.BLS12_381_R.toString(16)).toBe('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001');
  });
  it('the generators and identities encode as the published vectors (pairing-friendly-curves draft)', () => {
    const v = JSON.parse(
      readFileSync(new URL('../vectors/pairing-friendly-curves/bls12-381-serialization.json', import.meta.url), 'utf8'),
    ) as Record<string, string>;
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(hex(P.g1ToBytes(P.g1Generator()))).toBe(v.g1Generator);
    expect(hex(P.g2ToBytes(P.g2Generator()))).toBe(v.g2Generator);
    expect(hex(P.g1ToBytes(P.g1Identity()))).toBe(v.g1Identity);
    expect(hex(P.g2ToBytes(P.g2Identity()))).toBe(v.g2Identity);
    const g1 = P.g1FromBytes(Uint8Array.from(Buffer.from(v.g1Generator as string, 'hex')));
    expect(P.g1Eq(g1, P.g1Generator())).toBe(true);
    expect(P.g1ToBytes(P.g1Generator())).toEqual(bls12_381.G1.Point.BASE.toBytes(true));
    expect(P.g2ToBytes(P.g2Generator())).toEqual(bls12_381.G2.Point.BASE.toBytes(true));
  });
});

describe('encodings agree with @noble/curves (compressed, flag bits)', () => {
  it('k * G1 and k * G2 encode as noble does, and decode back', () => {
    fc.assert(
      fc.property(scalar(), (k) => {
        const a = P.g1Mul(P.g1Generator(), P.frFrom(k));
        const b = P.g2Mul(P.g2Generator(), P.frFrom(k));
        const na = bls12_381.G1.Point.BASE.multiply(k).toBytes(true);
        const nb = bls12_381.G2.Point.BASE.multiply(k).toBytes(true);
        expect(P.g1ToBytes(a)).toEqual(na);
        expect(P.g2ToBytes(b)).toEqual(nb);
        expect(P.g1Eq(P.g1FromBytes(na), a)).toBe(true);
        expect(P.g2Eq(P.g2FromBytes(nb), b)).toBe(true);
        expect((na[0] as number) & 0x80).toBe(0x80);
      }),
      { numRuns: runs(8) },
    );
  });
  it('the point at infinity is 0xc0 || zeros, refused unless allowed', () => {
    const inf1 = new Uint8Array(48);
    inf1[0] = 0xc0;
    const inf2 = new Uint8Array(96);
    inf2[0] = 0xc0;
    expect(P.g1ToBytes(P.g1Identity())).toEqual(inf1);
    expect(P.g2ToBytes(P.g2Identity())).toEqual(inf2);
    expectEncodingError(() => P.g1FromBytes(inf1), /identity/);
    expect(P.g1IsIdentity(P.g1FromBytes(inf1, 'G1', { allowIdentity: true }))).toBe(true);
    expect(P.g2IsIdentity(P.g2FromBytes(inf2, 'G2', { allowIdentity: true }))).toBe(true);
    const bad = inf1.slice();
    bad[47] = 1;
    expectEncodingError(() => P.g1FromBytes(bad, 'G1', { allowIdentity: true }));
    const signed = inf1.slice();
    signed[0] = 0xe0;
    expectEncodingError(() => P.g1FromBytes(signed, 'G1', { allowIdentity: true }));
  });
  it('the sign bit selects -P; a missing compression flag, x >= p and wrong lengths are refused', () => {
    const g = P.g1ToBytes(P.g1Generator());
    const flipped = g.slice();
    flipped[0] = (flipped[0] as number) ^ 0x20;
    expect(P.g1Eq(P.g1FromBytes(flipped), P.g1Neg(P.g1Generator()))).toBe(true);
    const uncompressedFlag = g.slice();
    uncompressedFlag[0] = (uncompressedFlag[0] as number) & 0x7f;
    expectEncodingError(() => P.g1FromBytes(uncompressedFlag));
    const big = be(Fp.ORDER, 48);
    big[0] = (big[0] as number) | 0x80;
    expectEncodingError(() => P.g1FromBytes(big));
    expectEncodingError(() => P.g1FromBytes(g.subarray(0, 47)), /48 bytes/);
    expectEncodingError(() => P.g2FromBytes(P.g2ToBytes(P.g2Generator()).subarray(0, 64)), /96 bytes/);
    // noble's uncompressed 96-byte G1 form is not a bpds G2 encoding either
    expectEncodingError(() => P.g2FromBytes(bls12_381.G1.Point.BASE.toBytes(false)));
  });
});

/** ZCash compression of an affine point that noble would refuse to serialize (not in G1). */
function compressG1(x: bigint, y: bigint): Uint8Array {
  const b = be(x, 48);
  b[0] = (b[0] as number) | 0x80 | (y > Fp.neg(y) ? 0x20 : 0);
  return b;
}
function compressG2(x: { c0: bigint; c1: bigint }, y: { c0: bigint; c1: bigint }): Uint8Array {
  const b = new Uint8Array(96);
  b.set(be(x.c1, 48), 0);
  b.set(be(x.c0, 48), 48);
  const ny = Fp2.neg(y);
  const larger = y.c1 !== 0n ? y.c1 > ny.c1 : y.c0 > ny.c0;
  b[0] = (b[0] as number) | 0x80 | (larger ? 0x20 : 0);
  return b;
}

describe('subgroup checks on decode (BLS12-381 G1 has a cofactor)', () => {
  it('G1 points on the curve but outside the order-r subgroup are refused; their cleared multiples decode', () => {
    let rejected = 0;
    for (let x = 1n; x < 200n && rejected < 4; x++) {
      const rhs = Fp.add(Fp.pow(x, 3n), 4n);
      let y: bigint;
      try {
        y = Fp.sqrt(rhs);
      } catch {
        continue;
      }
      const pt = bls12_381.G1.Point.fromAffine({ x, y });
      expect(() => pt.assertValidity()).toThrow(); // noble agrees: not in G1
      expectEncodingError(() => P.g1FromBytes(compressG1(x, y)), /subgroup/);
      const cleared = pt.clearCofactor();
      expect(P.g1ToBytes(P.g1FromBytes(cleared.toBytes(true)))).toEqual(cleared.toBytes(true));
      rejected++;
    }
    expect(rejected).toBe(4);
  });
  it('G2 points on the twist but outside the order-r subgroup are refused', () => {
    let rejected = 0;
    const b2 = Fp2.mul(Fp2.create({ c0: 4n, c1: 4n }), Fp2.ONE); // y^2 = x^3 + 4(1 + i)
    for (let x = 1n; x < 200n && rejected < 3; x++) {
      const X = Fp2.create({ c0: x, c1: 1n });
      const rhs = Fp2.add(Fp2.mul(Fp2.sqr(X), X), b2);
      let Y: { c0: bigint; c1: bigint };
      try {
        Y = Fp2.sqrt(rhs);
      } catch {
        continue;
      }
      const pt = bls12_381.G2.Point.fromAffine({ x: X, y: Y });
      expect(() => pt.assertValidity()).toThrow();
      expectEncodingError(() => P.g2FromBytes(compressG2(X, Y)), /subgroup/);
      const cleared = pt.clearCofactor();
      expect(P.g2ToBytes(P.g2FromBytes(cleared.toBytes(true)))).toEqual(cleared.toBytes(true));
      rejected++;
    }
    expect(rejected).toBe(3);
  });
});

describe('scalars: canonical 32-byte little-endian on BLS12-381 too', () => {
  it('1 encodes as 01 00 .. 00; r and above are refused; round trip', () => {
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(P.frToBytes(P.frFrom(1))).toEqual(one);
    const le = be(P.BLS12_381_R, 32).reverse();
    expectEncodingError(() => P.frFromBytes(le), />= r/);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: P.BLS12_381_R - 1n }), (n) => {
        const b = P.frToBytes(P.frFrom(n));
        expect(b).toEqual(be(n, 32).reverse());
        expect(P.frToBigint(P.frFromBytes(b))).toBe(n);
      }),
      { numRuns: runs(50) },
    );
    expect(P.frToBigint(P.frFrom(-1n))).toBe(P.BLS12_381_R - 1n);
  });
});

describe('pairing and GT', () => {
  it('bilinear, and the multi-pairing equals the product of pairings', () => {
    const a = P.frFrom(123456789n);
    const b = P.frFrom(987654321n);
    const g1 = P.g1Generator();
    const g2 = P.g2Generator();
    const lhs = P.pair(P.g1Mul(g1, a), P.g2Mul(g2, b));
    expect(P.gtEq(lhs, P.gtPow(P.pair(g1, g2), P.frMul(a, b)))).toBe(true);
    const m = P.multiPairing([P.g1Mul(g1, a), g1], [g2, P.g2Mul(g2, b)]);
    expect(P.gtEq(m, P.gtMul(P.pair(P.g1Mul(g1, a), g2), P.pair(g1, P.g2Mul(g2, b))))).toBe(true);
    expect(P.gtEq(P.multiPairing([P.g1Mul(g1, a), P.g1Neg(g1)], [g2, P.g2Mul(g2, a)]), P.gtOne())).toBe(true);
  });
  it('GT decoding round-trips 576 bytes and refuses elements outside the order-r subgroup', () => {
    const e = P.pair(P.g1Generator(), P.g2Generator());
    const bytes = P.gtToBytes(e);
    expect(bytes.length).toBe(576);
    expect(P.gtEq(P.gtFromBytes(bytes), e)).toBe(true);
    const t = bytes.slice();
    t[575] = (t[575] as number) ^ 1;
    expectEncodingError(() => P.gtFromBytes(t));
  });
});
