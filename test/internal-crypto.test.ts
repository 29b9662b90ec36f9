import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ed25519PublicKey, ed25519Sign, ed25519Verify, nativeEd25519 } from '../src/internal/ed25519.js';
import { taggedHash } from '../src/internal/tagged-hash.js';
import { runs } from './helpers.js';

it('uses the native backend on Node', () => {
  expect(nativeEd25519()).toBe(true);
});

it('native and noble backends agree on keys, signatures and verification', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 64 }), (seed, msg) => {
      const pk = ed25519PublicKey(seed);
      expect(pk).toEqual(ed25519.getPublicKey(seed));
      const sig = ed25519Sign(msg, seed);
      expect(sig).toEqual(ed25519.sign(msg, seed));
      expect(ed25519Verify(sig, msg, pk)).toBe(true);
      const bad = sig.slice();
      bad[5]! ^= 1;
      expect(ed25519Verify(bad, msg, pk)).toBe(false);
      expect(ed25519.verify(bad, msg, pk, { zip215: false })).toBe(false);
    }),
    { numRuns: runs(30) },
  );
});

it('rejects non-canonical encodings (S >= L, R or A with y >= p) whatever the backend', () => {
  const seed = new Uint8Array(32).fill(4);
  const pk = ed25519PublicKey(seed);
  const msg = new Uint8Array([1, 2, 3]);
  const sig = ed25519Sign(msg, seed);
  // S + L is the same scalar mod L but a malleated encoding.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
  const s2 = s + L;
  const mal = sig.slice();
  for (let i = 0; i < 32; i++) mal[32 + i] = Number((s2 >> BigInt(8 * i)) & 0xffn);
  expect(ed25519Verify(mal, msg, pk)).toBe(false);
  const yBig = new Uint8Array(32).fill(0xff);
  yBig[31] = 0x7f;
  expect(ed25519Verify(sig, msg, yBig)).toBe(false);
  const rBig = sig.slice();
  rBig.set(yBig, 0);
  expect(ed25519Verify(rBig, msg, pk)).toBe(false);
  expect(ed25519Verify(sig.subarray(0, 63), msg, pk)).toBe(false);
  expect(ed25519Verify(sig, msg, pk.subarray(0, 31))).toBe(false);
});

it('taggedHash (native SHA-256 with cached tag state) equals the BIP-340 definition over noble', () => {
  const enc = new TextEncoder();
  fc.assert(
    fc.property(fc.string(), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }), (tag, parts) => {
      const t = sha256(enc.encode(tag));
      const h = sha256.create().update(t).update(t);
      for (const p of parts) h.update(p);
      const expected = h.digest();
      expect(taggedHash(tag, ...parts)).toEqual(expected);
      expect(taggedHash(tag, ...parts)).toEqual(expected); // the cached tag state is not consumed
    }),
    { numRuns: runs(100) },
  );
});

it('agrees with noble on the x = 0 encodings with the sign bit set', () => {
  const seed = new Uint8Array(32).fill(9);
  const pk = ed25519PublicKey(seed);
  const msg = new Uint8Array([7]);
  const sig = ed25519Sign(msg, seed);
  const yOne = new Uint8Array(32);
  yOne[0] = 1;
  yOne[31] = 0x80;
  const yMinusOne = new Uint8Array(32).fill(0xff);
  yMinusOne[0] = 0xec;
  for (const enc of [yOne, yMinusOne]) {
    const withR = sig.slice();
    withR.set(enc, 0);
    const nobleOk = (() => {
      try {
        return ed25519.verify(withR, msg, pk, { zip215: false });
      } catch {
        return false;
      }
    })();
    expect(ed25519Verify(withR, msg, pk)).toBe(nobleOk);
    expect(ed25519Verify(sig, msg, enc)).toBe(false);
  }
});
