/**
 * Test helper: the canonical encoding of a G2 point that is on the twist but outside the
 * order-r subgroup, for the loaded curve. BN254: mcl's serializer with the order check off for
 * the search only. BLS12-381: @noble/curves arithmetic and the ZCash compressed form (noble
 * itself refuses to serialize such a point).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import mclModule from 'mcl-wasm';
import * as P from '../../src/pairing/index.js';

const be = (n: bigint, len: number) => Uint8Array.from(Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex'));

export function nonSubgroupG2(): Uint8Array {
  if (P.loadedCurve().name === 'bls12-381') {
    const { Fp2 } = bls12_381.fields;
    const b2 = Fp2.create({ c0: 4n, c1: 4n });
    for (let x = 1n; ; x++) {
      const X = Fp2.create({ c0: x, c1: 1n });
      let Y: { c0: bigint; c1: bigint };
      try {
        Y = Fp2.sqrt(Fp2.add(Fp2.mul(Fp2.sqr(X), X), b2));
      } catch {
        continue;
      }
      const out = new Uint8Array(96);
      out.set(be(X.c1, 48), 0);
      out.set(be(X.c0, 48), 48);
      const nY = Fp2.neg(Y);
      const larger = Y.c1 !== 0n ? Y.c1 > nY.c1 : Y.c0 > nY.c0;
      out[0] = (out[0] as number) | 0x80 | (larger ? 0x20 : 0);
      return out;
    }
  }
  const mcl = mclModule as unknown as typeof import('mcl-wasm');
  for (let i = 1; i < 500; i++) {
    const cand = new Uint8Array(64);
    cand[0] = i & 0xff;
    cand[32] = (i >> 8) + 1;
    mcl.verifyOrderG2(false);
    try {
      const Q = new mcl.G2();
      Q.deserialize(cand);
      if (!Q.isZero()) return cand;
    } catch {
      // not on the twist
    } finally {
      mcl.verifyOrderG2(true);
    }
  }
  throw new Error('no twist point found');
}
