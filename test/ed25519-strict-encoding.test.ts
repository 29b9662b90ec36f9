// Issue 19: the strict-encoding half of the bpds Ed25519 rule (RFC 8032 §5.1.3 and §5.1.7: A and R
// encode y < p with no sign bit on an x = 0 point, S < L) holds on every verification path on its
// own, not only because the platform's verifier happens to be strict.
//
// Node's OpenSSL, Node's WebCrypto and noble (zip215: false) all refuse non-canonical encodings
// themselves, so removing bpds's own check changes nothing on Node: the audit's mutant survived.
// Browsers' WebCrypto implementations differ, and "Taming the many EdDSAs" (Chalkias, Garillot,
// Nikolaenko, SSR 2020) found verifiers that reduce S mod L or decode R and A leniently. These tests
// put such a verifier (written below from the definition, with noble's point arithmetic) in place of
// the platform's WebCrypto and of Node's OpenSSL, and show that bpds still refuses what the lenient
// verifier accepts: through `verifyEd25519`, `ed25519Verify` and a ledger's transaction check.

import type * as NodeCrypto from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTransaction, MemoryLedger, type SignedTransaction, txId } from '../src/chain/index.js';
import { verifyEd25519 } from '../src/chain/verify.js';
import { LedgerError } from '../src/errors.js';
import { concatBytes, fromBase64url, toBase64url } from '../src/internal/bytes.js';
import {
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  isPrimeOrderKey,
  strictEncoding,
} from '../src/internal/ed25519.js';
import { runs } from './helpers.js';

const Point = ed25519.Point;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const leToInt = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const intToLe = (n: bigint, len = 32) =>
  Uint8Array.from({ length: len }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
const hram = (R: Uint8Array, A: Uint8Array, M: Uint8Array) => mod(leToInt(sha512(concatBytes(R, A, M))), L);

/** RFC 8032 §5.1.3, from the definition: y < p, and no sign bit when x = 0 (y = 1 or y = p - 1). */
function canonicalPoint(b: Uint8Array): boolean {
  const y = leToInt(b) & (2n ** 255n - 1n);
  const sign = (b[31] as number) >> 7 === 1;
  return y < P && !(sign && (y === 1n || y === P - 1n));
}
/** The rule's encoding part, from the definition. */
function expectedStrict(sig: Uint8Array, pk: Uint8Array): boolean {
  return (
    sig.length === 64 &&
    pk.length === 32 &&
    leToInt(sig.subarray(32)) < L &&
    canonicalPoint(sig.subarray(0, 32)) &&
    canonicalPoint(pk)
  );
}

/**
 * A lenient Ed25519 verifier: decodes A and R without the canonical checks (ZIP-215 decoding),
 * reduces S mod L, and checks the cofactorless equation [S]B = R + [k]A with k = H(R ‖ A ‖ M) over
 * the bytes as given. What a non-strict platform verifier does.
 */
function lenientVerify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean {
  try {
    if (sig.length !== 64 || pk.length !== 32) return false;
    const Rb = sig.subarray(0, 32);
    const A = Point.fromBytes(pk, true);
    const R = Point.fromBytes(Rb, true);
    const S = mod(leToInt(sig.subarray(32)), L);
    const lhs = S === 0n ? Point.ZERO : Point.BASE.multiplyUnsafe(S);
    return lhs.equals(R.add(A.multiplyUnsafe(hram(Rb, pk, msg))));
  } catch {
    return false;
  }
}

// A signer whose secret scalar we know, so forgeries of the lenient kind can be built.
const seed = new Uint8Array(32).fill(0x42);
const A = ed25519.getPublicKey(seed);
const msg = new TextEncoder().encode('strict encodings on every path');

/** The honest signature, then the same signature with S + L (S is below 2^253, so S + L fits). */
const honest = ed25519.sign(msg, seed);
const withSPlusL = (sig: Uint8Array) => concatBytes(sig.subarray(0, 32), intToLe(leToInt(sig.subarray(32)) + L));
/** R ‖ k·x for an R of order 1: [S]B = [k]X = R + [k]X for the key X = [x]B. */
function identityR(R: Uint8Array, m: Uint8Array, key = seed): Uint8Array {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(key);
  return concatBytes(R, intToLe(mod(hram(R, pointBytes, m) * scalar, L)));
}
/** R = the identity encoded as y = p + 1 (non-canonical). */
const nonCanonicalR = (m: Uint8Array, key = seed) => identityR(intToLe(P + 1n), m, key);
/** R = the identity with the sign bit set on x = 0 (non-canonical). */
const signedZeroR = (m: Uint8Array, key = seed) => identityR(intToLe(1n + (1n << 255n)), m, key);
const FORGERIES: [string, (m: Uint8Array) => Uint8Array][] = [
  ['S + L', () => withSPlusL(honest)],
  ['R = identity as y = p + 1', nonCanonicalR],
  ['R = identity with the x sign bit', signedZeroR],
];

describe('the lenient verifier (the model of a non-strict platform)', () => {
  it('accepts the honest signature and every forgery below, and refuses a wrong message', () => {
    expect(lenientVerify(honest, msg, A)).toBe(true);
    expect(lenientVerify(honest, new Uint8Array(1), A)).toBe(false);
    for (const [what, forge] of FORGERIES) {
      const sig = forge(msg);
      expect(lenientVerify(sig, msg, A), what).toBe(true);
      expect(expectedStrict(sig, A), what).toBe(false);
      // Strict noble refuses them too: on Node every real backend is strict.
      expect(ed25519.verify(sig, msg, A, { zip215: false }), what).toBe(false);
    }
  });
});

describe('bpds refuses what a lenient platform verifier accepts', () => {
  let unknownKeys = 0;
  afterEach(() => {
    vi.restoreAllMocks();
    expect(unknownKeys).toBe(0);
  });

  /** Replace WebCrypto's Ed25519 verify by the lenient verifier; importKey records the raw key. */
  function lenientWebCrypto(): { calls: () => number } {
    const subtle = globalThis.crypto.subtle;
    const raw = new WeakMap<object, Uint8Array>();
    const importKey = subtle.importKey.bind(subtle);
    let calls = 0;
    unknownKeys = 0;
    vi.spyOn(subtle, 'importKey').mockImplementation((async (...args: Parameters<SubtleCrypto['importKey']>) => {
      const key = await importKey(...args);
      raw.set(key, new Uint8Array(args[1] as Uint8Array));
      return key;
    }) as SubtleCrypto['importKey']);
    vi.spyOn(subtle, 'verify').mockImplementation(async (_alg, key, sig, data) => {
      calls++;
      const pk = raw.get(key);
      // A key imported before the spy (cached by verify.ts) would fail for the wrong reason.
      if (pk === undefined) {
        unknownKeys++;
        throw new Error('key imported before the lenient platform was installed');
      }
      return lenientVerify(new Uint8Array(sig as ArrayBuffer), new Uint8Array(data as ArrayBuffer), pk);
    });
    return { calls: () => calls };
  }

  /** Replace Node's OpenSSL Ed25519 verify (the module bpds reaches through getBuiltinModule). */
  function lenientOpenSSL(): { calls: () => number } {
    const m = process.getBuiltinModule('node:crypto') as typeof NodeCrypto;
    let calls = 0;
    vi.spyOn(m, 'verify').mockImplementation(((
      _alg: null,
      data: Uint8Array,
      key: NodeCrypto.KeyObject,
      sig: Uint8Array,
    ) => {
      calls++;
      const spki = key.export({ format: 'der', type: 'spki' });
      return lenientVerify(new Uint8Array(sig), new Uint8Array(data), new Uint8Array(spki.subarray(spki.length - 32)));
    }) as unknown as typeof NodeCrypto.verify);
    return { calls: () => calls };
  }

  it('WebCrypto path (forced and default): every forgery refused, the honest signature reaches the platform', async () => {
    // The platform checks (support, the OpenSSL self-test) run once with the real verifiers first.
    expect(await verifyEd25519(honest, msg, A, toBase64url(A), 'webcrypto')).toBe(true);
    const fresh = ed25519.utils.randomSecretKey();
    const pk = ed25519.getPublicKey(fresh);
    const spy = lenientWebCrypto();
    const sig = ed25519.sign(msg, fresh);
    expect(await verifyEd25519(sig, msg, pk, toBase64url(pk), 'webcrypto')).toBe(true);
    expect(spy.calls()).toBe(1);
    // Key A's CryptoKey is cached from before the spy: use a fresh text so it is imported again.
    for (const [what, forge] of FORGERIES) {
      const f = forge(msg);
      expect(await verifyEd25519(f, msg, A, `${toBase64url(A)}#${what}`, 'webcrypto'), what).toBe(false);
      expect(await verifyEd25519(f, msg, A, `${toBase64url(A)}#${what}#default`), what).toBe(false);
    }
    expect(spy.calls()).toBe(1);
  });

  it("Node's OpenSSL path (forced and default): every forgery refused, the honest signature reaches OpenSSL", () => {
    expect(ed25519Verify(honest, msg, A, 'node')).toBe(true);
    const spy = lenientOpenSSL();
    expect(ed25519Verify(honest, msg, A, 'node')).toBe(true);
    expect(spy.calls()).toBe(1);
    for (const [what, forge] of FORGERIES) {
      expect(ed25519Verify(forge(msg), msg, A, 'node'), what).toBe(false);
      expect(ed25519Verify(forge(msg), msg, A), what).toBe(false);
    }
    expect(spy.calls()).toBe(1);
  });

  it('noble path: every forgery refused', () => {
    for (const [what, forge] of FORGERIES) expect(ed25519Verify(forge(msg), msg, A, 'noble'), what).toBe(false);
    expect(ed25519Verify(honest, msg, A, 'noble')).toBe(true);
  });

  it('a ledger refuses a transaction signed with S + L or a non-canonical R (BAD_SIGNATURE), on a lenient WebCrypto', async () => {
    // A key of its own: verify.ts caches CryptoKeys per key text, and A's was imported unspied.
    const authority = { secretKey: new Uint8Array(32).fill(0x43), publicKey: new Uint8Array(0) };
    authority.publicKey = ed25519.getPublicKey(authority.secretKey);
    const genesis = {
      chainId: 'c',
      authorities: [{ id: 'ministry', publicKey: toBase64url(authority.publicKey) }],
    };
    const h = ed25519.utils.randomSecretKey();
    const tx = createTransaction(
      'c',
      'ministry',
      'registerHospital',
      { id: 'h', publicKey: Buffer.from(ed25519.getPublicKey(h)).toString('base64url') },
      authority.secretKey,
    );
    const id = fromBase64url(txId(tx));
    lenientWebCrypto();
    const variants: [string, Uint8Array][] = [
      ['S + L', withSPlusL(fromBase64url(tx.sig))],
      ['R = identity as y = p + 1', nonCanonicalR(id, authority.secretKey)],
      ['R = identity with the x sign bit', signedZeroR(id, authority.secretKey)],
    ];
    for (const [what, sig] of variants) {
      expect(lenientVerify(sig, id, authority.publicKey), what).toBe(true);
      const ledger = new MemoryLedger(genesis);
      const forged = { ...tx, sig: toBase64url(sig) } as SignedTransaction;
      const e = await ledger.submit(forged).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, what).toBeInstanceOf(LedgerError);
      expect((e as LedgerError).reason, what).toBe('BAD_SIGNATURE');
      expect(await ledger.getParty('h'), what).toBeUndefined();
    }
    // The honest transaction is accepted through the same lenient platform.
    const ledger = new MemoryLedger(genesis);
    await ledger.submit(tx);
    expect((await ledger.getParty('h'))?.id).toBe('h');
  });
});

describe('strictEncoding equals the definition at every boundary', () => {
  // Encodings of y around p and of the two x = 0 points, with and without the sign bit.
  const ys = [0n, 1n, 2n, P - 2n, P - 1n, P, P + 1n, P + 18n, 2n ** 255n - 1n];
  const points = ys.flatMap((y) => [intToLe(y), intToLe(y | (1n << 255n))]);
  const scalars = [0n, 1n, L - 1n, L, L + 1n, 2n ** 253n, 2n ** 256n - 1n].map((s) => intToLe(s));
  const good = A;

  it('R, A and S at their boundaries', () => {
    for (const p of points) {
      for (const s of scalars) {
        const sig = concatBytes(p, s);
        expect(strictEncoding(sig, good), `R ${toBase64url(p)} S ${toBase64url(s)}`).toBe(expectedStrict(sig, good));
      }
      const sig = concatBytes(good, intToLe(1n));
      expect(strictEncoding(sig, p), `A ${toBase64url(p)}`).toBe(expectedStrict(sig, p));
    }
    // The table holds both verdicts for R, A and S.
    expect(points.filter((p) => canonicalPoint(p)).length).toBeGreaterThan(0);
    expect(points.filter((p) => !canonicalPoint(p)).length).toBeGreaterThan(0);
  });

  it('lengths: a 63- or 65-byte signature, a 31- or 33-byte key', () => {
    const sig = concatBytes(good, intToLe(1n));
    expect(strictEncoding(sig, good)).toBe(true);
    expect(strictEncoding(sig.subarray(0, 63), good)).toBe(false);
    expect(strictEncoding(concatBytes(sig, new Uint8Array(1)), good)).toBe(false);
    expect(strictEncoding(sig, good.subarray(0, 31))).toBe(false);
    expect(strictEncoding(sig, concatBytes(good, new Uint8Array(1)))).toBe(false);
  });

  it('structured encodings: first byte, middle bytes (all 0x00, all 0xff, one off) and top byte at their edges', () => {
    // pointCanonical looks at byte 0, bytes 1..30 as a block and byte 31: vary each independently.
    const first = fc.constantFrom(0x00, 0x01, 0x02, 0xeb, 0xec, 0xed, 0xee, 0xff);
    const middle = fc.tuple(
      fc.constantFrom(0x00, 0xff),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 0, max: 255 }),
    );
    const top = fc.constantFrom(0x00, 0x01, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff);
    const point = fc.tuple(first, middle, top).map(([b0, [fill, at, v], b31]) => {
      const b = new Uint8Array(32).fill(fill);
      b[0] = b0;
      if (at > 0) b[at] = v; // at = 0: the middle block stays uniform
      b[31] = b31;
      return b;
    });
    fc.assert(
      fc.property(point, point, (r, pk) => {
        const sig = concatBytes(r, intToLe(1n));
        expect(strictEncoding(sig, pk)).toBe(expectedStrict(sig, pk));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('random encodings near the boundaries', () => {
    const near = (base: bigint[]) =>
      fc.tuple(fc.constantFrom(...base), fc.integer({ min: -300, max: 300 }), fc.boolean()).map(([b, d, sign]) => {
        const v = mod(b + BigInt(d), 2n ** 255n);
        return intToLe(sign ? v | (1n << 255n) : v);
      });
    const scalar = fc
      .tuple(fc.constantFrom(L, 0n, 2n ** 256n - 1n), fc.integer({ min: -300, max: 300 }))
      .map(([b, d]) => intToLe(mod(b + BigInt(d), 2n ** 256n)));
    fc.assert(
      fc.property(near([0n, P, 2n ** 255n]), scalar, near([0n, P, 2n ** 255n]), (r, s, pk) => {
        const sig = concatBytes(r, s);
        expect(strictEncoding(sig, pk)).toBe(expectedStrict(sig, pk));
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('isPrimeOrderKey on keys of every shape, against the definition', () => {
  /** Prime order, from the definition with noble's lenient decoding: on the curve, no torsion, not the identity. */
  function primeOrder(b: Uint8Array): boolean {
    if (!canonicalPoint(b)) return false;
    try {
      const p = Point.fromBytes(b, true);
      return !p.is0() && p.isTorsionFree();
    } catch {
      return false;
    }
  }

  it('every key y < 1000 (both signs), and y = 1 + 256·r with zero bytes after (pk[0] = 1)', () => {
    const keys: Uint8Array[] = [];
    for (let y = 0n; y < 1000n; y++) keys.push(intToLe(y), intToLe(y | (1n << 255n)));
    for (let r = 1n; r < 400n; r++) keys.push(intToLe(1n + 256n * r));
    const verdicts = { prime: 0, other: 0 };
    for (const k of keys) {
      const want = primeOrder(k);
      expect(isPrimeOrderKey(k), toBase64url(k)).toBe(want);
      verdicts[want ? 'prime' : 'other']++;
    }
    // Both verdicts occur, including keys that are not on the curve at all.
    expect(verdicts.prime).toBeGreaterThan(10);
    expect(keys.some((k) => !primeOrder(k) && canonicalPoint(k))).toBe(true);
  });

  it('not a 32-byte Uint8Array: false', () => {
    expect(isPrimeOrderKey(A.subarray(0, 31))).toBe(false);
    expect(isPrimeOrderKey(concatBytes(A, new Uint8Array(1)))).toBe(false);
    expect(isPrimeOrderKey(Array.from(A) as unknown as Uint8Array)).toBe(false);
    expect(isPrimeOrderKey(A)).toBe(true);
  });
});

describe('signing keys are not aliased by the per-seed caches', () => {
  it('a seed array changed in place signs with its new value; a returned public key cannot corrupt the cache', () => {
    const s = new Uint8Array(32).fill(1);
    const m = new TextEncoder().encode('m');
    expect(ed25519Sign(m, s)).toEqual(ed25519.sign(m, s));
    s.fill(2);
    expect(ed25519Sign(m, s)).toEqual(ed25519.sign(m, s));
    expect(ed25519PublicKey(s)).toEqual(ed25519.getPublicKey(s));
    const pk = ed25519PublicKey(s);
    pk.fill(0);
    expect(ed25519PublicKey(s)).toEqual(ed25519.getPublicKey(s));
    s.fill(3);
    expect(ed25519PublicKey(s)).toEqual(ed25519.getPublicKey(s));
  });
});
