// Issue 12, finding 1: one Ed25519 verification rule everywhere, no small-order keys.
//
// THE RULE (SECURITY.md, "Ed25519 verification rule"; src/internal/ed25519.ts): a signature R ‖ S
// on M under A is valid exactly when (1) A and R are strict RFC 8032 encodings (y < p, no sign bit
// on an x = 0 point) and S < L; (2) A has prime order L (not the identity, not small order, no
// torsion component); (3) R has no torsion component and [S]B = R + [k]A, k = SHA-512(R‖A‖M) mod L.
// With A and R in the prime-order subgroup, cofactorless (OpenSSL, WebCrypto) and cofactored
// (noble) verification agree, so every backend gives the same verdict.

import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SigningKey, VerifyKey } from '../src/ces/index.js';
import {
  attestPatient,
  createTransaction,
  MemoryLedger,
  PermissionContract,
  type SignedTransaction,
  txId,
  type UnsignedTransaction,
} from '../src/chain/index.js';
import { verifyEd25519 } from '../src/chain/verify.js';
import { InvalidArgumentError, InvalidEncodingError, LedgerError } from '../src/errors.js';
import { createRecord, generateSigningKey, type IndexRecord, verifyRecord } from '../src/index-record/index.js';
import { concatBytes, fromBase64url, toBase64url } from '../src/internal/bytes.js';
import { ed25519Verify, isPrimeOrderKey } from '../src/internal/ed25519.js';
import { runs } from './helpers.js';

const Point = ed25519.Point;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const leToInt = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const intToLe = (n: bigint, len = 32) =>
  Uint8Array.from({ length: len }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
const hram = (R: Uint8Array, A: Uint8Array, M: Uint8Array) => mod(leToInt(sha512(concatBytes(R, A, M))), L);

type Backend = 'node' | 'webcrypto' | 'noble';
const BACKENDS: readonly Backend[] = ['node', 'webcrypto', 'noble'];

/** The verdict of every backend, forced explicitly, through both entry points. */
async function verdicts(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const b of BACKENDS) out[`chain:${b}`] = await verifyEd25519(sig, msg, pk, toBase64url(pk), b);
  out['internal:node'] = ed25519Verify(sig, msg, pk, 'node');
  out['internal:noble'] = ed25519Verify(sig, msg, pk, 'noble');
  out['chain:default'] = await verifyEd25519(sig, msg, pk, toBase64url(pk));
  out['internal:default'] = ed25519Verify(sig, msg, pk);
  return out;
}
const all = (v: boolean) => (r: Record<string, boolean>) => Object.values(r).every((x) => x === v);

/** The raw backends, without the rule in front (what the issue reproduced). */
function rawVerdicts(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): { openssl: boolean; noble: boolean } {
  let openssl = false;
  try {
    const der = concatBytes(hex('302a300506032b6570032100'), pk);
    openssl = nodeVerify(null, msg, createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }), sig);
  } catch {
    openssl = false;
  }
  let noble = false;
  try {
    noble = ed25519.verify(sig, msg, pk, { zip215: false });
  } catch {
    noble = false;
  }
  return { openssl, noble };
}

/** Order class of an encoded point, decoded leniently (non-canonical encodings allowed). */
function orderClass(b: Uint8Array): 'small' | 'mixed' | 'prime' | 'invalid' {
  let p: InstanceType<typeof Point>;
  try {
    p = Point.fromBytes(b, true);
  } catch {
    return 'invalid';
  }
  if (p.isSmallOrder()) return 'small';
  return p.isTorsionFree() ? 'prime' : 'mixed';
}
/** RFC 8032 §5.1.3 canonical: y < p, and no sign bit on the x = 0 points (y = 1, y = p - 1). */
function yCanonical(b: Uint8Array): boolean {
  const y = leToInt(b) % 2n ** 255n;
  const sign = (b[31] as number) >> 7 === 1;
  return y < P && !(sign && (y === 1n || y === P - 1n));
}

// The eight points of order dividing 8: multiples of a point of order 8.
const T8 = Point.fromBytes(hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'));
const SMALL_ORDER = Array.from({ length: 8 }, (_, i) => (i === 0 ? Point.ZERO : T8.multiply(BigInt(i))).toBytes());
const IDENTITY = SMALL_ORDER[0] as Uint8Array;
// A non-canonical key: y = p + 1 (the identity's y, plus p).
const NON_CANONICAL = intToLe(P + 1n);
// A mixed-order key: an honest key plus a torsion point.
const honest = generateSigningKey();
const MIXED = Point.fromBytes(fromBase64url(honest.publicKey)).add(T8).toBytes();

/** The identity-key forgery of the issue: R = [S]B, sig = R ‖ S verifies cofactorlessly for any message. */
function identityForgery(): Uint8Array {
  const s = 0x1234567890abcdefn;
  return concatBytes(Point.BASE.multiply(s).toBytes(), intToLe(s));
}

describe('the Taming-the-many-EdDSAs vectors (test/vectors/ed25519-speccheck)', () => {
  const cases = JSON.parse(
    readFileSync(new URL('./vectors/ed25519-speccheck/cases.json', import.meta.url), 'utf8'),
  ) as { message: string; pub_key: string; signature: string }[];

  it('has the twelve published vectors', () => {
    expect(cases).toHaveLength(12);
  });

  it('every backend gives the rule’s verdict on every vector (all twelve are rejected), re-derived independently', async () => {
    const rawDisagreements: number[] = [];
    for (const [i, c] of cases.entries()) {
      const msg = hex(c.message);
      const pk = hex(c.pub_key);
      const sig = hex(c.signature);
      const R = sig.subarray(0, 32);
      const S = leToInt(sig.subarray(32));
      // The rule, evaluated here from the definition with noble point arithmetic.
      const a = orderClass(pk);
      const r = orderClass(R);
      let equation = false;
      if (a !== 'invalid' && r !== 'invalid') {
        const k = hram(R, pk, msg);
        const lhs = Point.BASE.multiplyUnsafe(mod(S, L));
        equation = lhs.equals(Point.fromBytes(R, true).add(Point.fromBytes(pk, true).multiplyUnsafe(k)));
      }
      const expected =
        yCanonical(pk) && yCanonical(R) && S < L && a === 'prime' && r !== 'mixed' && r !== 'small' && equation;
      expect(expected, `vector ${i}`).toBe(false);
      // Every backend, forced explicitly, agrees with the rule.
      const v = await verdicts(sig, msg, pk);
      expect(v, `vector ${i}`).toSatisfy(all(expected));
      const raw = rawVerdicts(sig, msg, pk);
      if (raw.openssl !== raw.noble || raw.openssl !== expected) rawDisagreements.push(i);
    }
    // Without the rule in front, the raw backends disagree with it (and with each other) on some
    // vectors: OpenSSL accepts small and mixed keys (vectors 0-3).
    expect(rawDisagreements).toEqual(expect.arrayContaining([0, 1, 2, 3]));
  });

  it('the vectors are what the upstream table says (S range, orders, canonical encodings)', () => {
    const table = [
      ['small', 'small'],
      ['small', 'mixed'],
      ['mixed', 'small'],
      ['mixed', 'mixed'],
      ['mixed', 'mixed'],
      ['mixed', 'prime'],
      ['prime', 'prime'],
      ['prime', 'prime'],
    ];
    for (const [i, [a, r]] of table.entries()) {
      const c = cases[i] as { pub_key: string; signature: string };
      expect([orderClass(hex(c.pub_key)), orderClass(hex(c.signature).subarray(0, 32))], `vector ${i}`).toEqual([a, r]);
    }
    expect(leToInt(hex(cases[6]!.signature).subarray(32))).toBeGreaterThanOrEqual(L);
    expect(leToInt(hex(cases[7]!.signature).subarray(32))).toBeGreaterThanOrEqual(L);
    for (const i of [8, 9]) expect(yCanonical(hex(cases[i]!.signature).subarray(0, 32))).toBe(false);
    for (const i of [10, 11]) expect(yCanonical(hex(cases[i]!.pub_key))).toBe(false);
  });
});

describe('every backend agrees beyond the vectors', () => {
  it('honest signatures verify on every backend; any flipped bit fails on every backend', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.nat(511),
        async (seed, msg, bit) => {
          const pk = ed25519.getPublicKey(seed);
          const sig = ed25519.sign(msg, seed);
          expect(await verdicts(sig, msg, pk)).toSatisfy(all(true));
          const bad = sig.slice();
          bad[bit >> 3]! ^= 1 << (bit & 7);
          expect(await verdicts(bad, msg, pk)).toSatisfy(all(false));
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('an R with a torsion component is refused by every backend (raw noble accepted it, OpenSSL did not)', async () => {
    const seed = new Uint8Array(32).fill(7);
    const { scalar: a, pointBytes: A } = ed25519.utils.getExtendedPublicKey(seed);
    const msg = new TextEncoder().encode('one transaction, two replicas');
    const r = 0x0123456789abcdefn;
    const R = Point.BASE.multiply(r).add(T8).toBytes();
    const S = mod(r + hram(R, A, msg) * a, L);
    const sig = concatBytes(R, intToLe(S));
    expect(rawVerdicts(sig, msg, A)).toEqual({ openssl: false, noble: true }); // the disagreement of the issue
    expect(await verdicts(sig, msg, A)).toSatisfy(all(false));
  });
});

describe('small-order, mixed-order and non-canonical keys are refused on every path', () => {
  const badKeys: [string, Uint8Array][] = [
    ...SMALL_ORDER.map((k, i): [string, Uint8Array] => [`small-order point ${i}`, k]),
    ['mixed-order key', MIXED],
    ['non-canonical key y = p + 1', NON_CANONICAL],
  ];

  it('the identity-key forgery (R = [S]B) verifies raw on OpenSSL for any message, never under the rule', async () => {
    expect(toBase64url(IDENTITY)).toBe(toBase64url(hex(`01${'00'.repeat(31)}`)));
    const sig = identityForgery();
    for (const msg of [new Uint8Array(0), new TextEncoder().encode('I never signed this')]) {
      expect(rawVerdicts(sig, msg, IDENTITY).openssl).toBe(true);
      expect(await verdicts(sig, msg, IDENTITY)).toSatisfy(all(false));
    }
  });

  it('isPrimeOrderKey: false for each bad key, true for honest keys', () => {
    for (const [what, k] of badKeys) expect(isPrimeOrderKey(k), what).toBe(false);
    for (let i = 0; i < 8; i++) expect(isPrimeOrderKey(fromBase64url(generateSigningKey().publicKey))).toBe(true);
  });

  it('verifyRecord refuses a record "signed" under a small-order key (the identity forgery included)', () => {
    for (const [what, k] of badKeys) {
      const unsigned = createRecord({
        patient: 'p-1',
        hospitalId: 'h-1',
        hospitalPublicKey: toBase64url(k),
        ciphertext: new Uint8Array(8),
        scheme: 'fame',
        locator: 'blob:1',
        policyDigest: new Uint8Array(32),
        cesHeaderDigest: new Uint8Array(32),
      });
      const forged = {
        ...unsigned,
        signature: { alg: 'Ed25519', value: toBase64url(identityForgery()) },
      } as unknown as IndexRecord;
      expect(verifyRecord(forged, toBase64url(k)), what).toBe(false);
    }
  });

  it("the chain's transaction check refuses the forgery under the identity key, whatever the transaction", async () => {
    const authority = generateSigningKey();
    const hospital = generateSigningKey();
    const genesis = {
      chainId: 'c',
      authorities: [{ id: 'ministry', publicKey: authority.publicKey }],
    };
    const ledger = new MemoryLedger(genesis);
    const contract = new PermissionContract(genesis);
    const reg = createTransaction(
      'c',
      'ministry',
      'registerHospital',
      { id: 'h', publicKey: hospital.publicKey },
      authority.secretKey,
    );
    await ledger.submit(reg);
    await contract.execute(reg, 0);
    // A patient registration signed "by" the identity key, with a hospital's attestation for it.
    const unsigned: UnsignedTransaction<'registerPatient'> = {
      v: 1,
      chain: 'c',
      type: 'registerPatient',
      actor: 'p-ghost',
      nonce: toBase64url(new Uint8Array(16)),
      body: {
        id: 'p-ghost',
        publicKey: toBase64url(IDENTITY),
        attestation: attestPatient(
          'c',
          { id: 'p-ghost', publicKey: toBase64url(IDENTITY) },
          { id: 'h', secretKey: hospital.secretKey },
        ),
      },
      signer: toBase64url(IDENTITY),
    };
    const id = fromBase64url(txId(unsigned));
    const sig = identityForgery();
    expect(rawVerdicts(sig, id, IDENTITY).openssl).toBe(true); // would have passed the raw OpenSSL check
    const forged = { ...unsigned, sig: toBase64url(sig) } as SignedTransaction;
    for (const p of [ledger.submit(forged), contract.execute(forged, 1)]) {
      const e = await p.then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(LedgerError);
      expect((e as LedgerError).reason).toBe('BAD_SIGNATURE');
    }
    expect(await ledger.getParty('p-ghost')).toBeUndefined();
  });

  it('registration refuses each bad key (INVALID_KEY): registerHospital, registerRequester, registerPatient', async () => {
    const authority = generateSigningKey();
    const hospital = generateSigningKey();
    const ledger = new MemoryLedger({
      chainId: 'c',
      authorities: [{ id: 'ministry', publicKey: authority.publicKey }],
    });
    const byAuthority = (type: 'registerHospital' | 'registerRequester', id: string, pk: string) =>
      ledger.submit(
        type === 'registerHospital'
          ? createTransaction('c', 'ministry', type, { id, publicKey: pk }, authority.secretKey)
          : createTransaction('c', 'ministry', type, { id, publicKey: pk, attributes: [] }, authority.secretKey),
      );
    await byAuthority('registerHospital', 'h', hospital.publicKey);
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: unknown) => (e instanceof LedgerError ? e.reason : String(e)),
      );
    for (const [i, [what, k]] of badKeys.entries()) {
      const text = toBase64url(k);
      expect(await reason(byAuthority('registerHospital', `h-${i}`, text)), what).toBe('INVALID_KEY');
      expect(await reason(byAuthority('registerRequester', `r-${i}`, text)), what).toBe('INVALID_KEY');
      // A patient cannot even sign for such a key honestly; a registration naming it is refused
      // before its attestation or signature could matter.
      const pid = `p-${i}`;
      const body = {
        id: pid,
        publicKey: text,
        attestation: attestPatient('c', { id: pid, publicKey: text }, { id: 'h', secretKey: hospital.secretKey }),
      };
      const u: UnsignedTransaction<'registerPatient'> = {
        v: 1,
        chain: 'c',
        type: 'registerPatient',
        actor: pid,
        nonce: toBase64url(new Uint8Array(16)),
        body,
        signer: text,
      };
      const forged = { ...u, sig: toBase64url(identityForgery()) } as SignedTransaction;
      expect(await reason(ledger.submit(forged)), what).toBe('BAD_SIGNATURE');
      expect(await ledger.getParty(pid)).toBeUndefined();
    }
    // A genesis authority with such a key is refused too.
    for (const [what, k] of badKeys) {
      expect(
        () => new MemoryLedger({ chainId: 'c', authorities: [{ id: 'a', publicKey: toBase64url(k) }] }),
        what,
      ).toThrow(InvalidArgumentError);
    }
  });

  it('CES: a VerifyKey.fromBytes of such a key is an InvalidEncodingError', () => {
    const prefix = SigningKey.generate('ed25519').verifyKey().toBytes().slice(0, 3);
    for (const [what, k] of badKeys) {
      expect(() => VerifyKey.fromBytes(concatBytes(prefix, k)), what).toThrow(InvalidEncodingError);
    }
    expect(VerifyKey.fromBytes(concatBytes(prefix, fromBase64url(honest.publicKey))).algorithm).toBe('ed25519');
  });
});
