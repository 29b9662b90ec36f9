import canonicalizeOracle from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import {
  canonicalize,
  cesHeaderDigest,
  ciphertextDigest,
  createRecord,
  generateSigningKey,
  type IndexRecord,
  keyFingerprint,
  parseRecord,
  recordDigest,
  serializeRecord,
  signRecord,
  TAGS,
  type UnsignedIndexRecord,
  verifyRecord,
} from '../src/index-record/index.js';
import { fromBase64url, toBase64url } from '../src/internal/bytes.js';
import { canonicalizeJson } from '../src/internal/jcs.js';
import { b64url, jcs, lp, tagged, utf8 } from './digest-oracle.js';
import { runs } from './helpers.js';

const hospital = generateSigningKey();
const other = generateSigningKey();

function draft(over: Partial<Parameters<typeof createRecord>[0]> = {}): UnsignedIndexRecord {
  return createRecord({
    patient: 'p-7f3a9c',
    hospitalId: 'hospital-1',
    hospitalPublicKey: hospital.publicKey,
    ciphertext: new Uint8Array(1000).fill(3),
    scheme: 'fame',
    locator: 'blob:sha256/abc',
    policyDigest: new Uint8Array(32).fill(1),
    cesHeaderDigest: cesHeaderDigest(new Uint8Array([1, 2, 3])),
    keywords: ['cardiology', 'discharge'],
    createdAt: new Date('2026-11-24T20:00:00Z'),
    ...over,
  });
}
const signed = signRecord(draft(), hospital.secretKey);

describe('index records', () => {
  it('create, sign, verify, parse round trip', () => {
    expect(verifyRecord(signed, hospital.publicKey)).toBe(true);
    expect(verifyRecord(signed, other.publicKey)).toBe(false);
    const text = serializeRecord(signed);
    expect(text).toBe(canonicalizeOracle(signed));
    const back = parseRecord(text);
    expect(back).toEqual(signed);
    expect(parseRecord(new TextEncoder().encode(text))).toEqual(signed);
    expect(recordDigest(back)).toEqual(recordDigest(signed));
    // Digests from their documented definitions (docs/index-record.md §2-3), not from src/.
    const { signature: _sig, ...unsigned } = JSON.parse(text) as Record<string, unknown>;
    expect(recordDigest(signed)).toEqual(tagged('bpds/v1/index-record', utf8(jcs(unsigned))));
    expect(signed.ciphertext.digest).toBe(b64url(tagged('bpds/v1/ciphertext', new Uint8Array(1000).fill(3))));
    expect(signed.hospital.keyFingerprint).toBe(
      b64url(tagged('bpds/v1/key-fingerprint', lp(utf8('Ed25519')), fromBase64url(hospital.publicKey))),
    );
    expect(recordDigest(signed)).toEqual(recordDigest(draft({ recordId: fromB64(signed.recordId) })));
    expect(signed.ciphertext.size).toBe(1000);
    expect(signed.ciphertext.digest).toBe(toBase64url(ciphertextDigest(new Uint8Array(1000).fill(3))));
    expect(signed.hospital.keyFingerprint).toBe(toBase64url(keyFingerprint(hospital.publicKey)));
    expect(signed.createdAt).toBe('2026-11-24T20:00:00Z');
    expect(Object.isFrozen(signed) && Object.isFrozen(signed.hospital)).toBe(true);
  });
  it('signRecord refuses a key that does not match the fingerprint', () => {
    expect(() => signRecord(draft(), other.secretKey)).toThrow(InvalidArgumentError);
  });
  it('detects any tampering with a signed record', () => {
    const mutations: Array<(r: Record<string, unknown>) => void> = [
      (r) => {
        r.patient = 'p-other';
      },
      (r) => {
        r.locator = 'blob:other';
      },
      (r) => {
        r.createdAt = '2026-11-24T20:00:01Z';
      },
      (r) => {
        r.keywords = ['cardiology'];
      },
      (r) => {
        r.previous = toBase64url(new Uint8Array(32));
      },
      (r) => {
        (r.ciphertext as Record<string, unknown>).size = 1001;
      },
      (r) => {
        (r.hospital as Record<string, unknown>).id = 'hospital-2';
      },
      (r) => {
        r.signature = { alg: 'Ed25519', value: toBase64url(new Uint8Array(64)) };
      },
    ];
    mutations.forEach((m, i) => {
      const r = structuredClone(signed) as unknown as Record<string, unknown>;
      m(r);
      expect(verifyRecord(r as unknown as IndexRecord, hospital.publicKey)).toBe(false);
      // The digest covers every field but the signature.
      expect(equal(recordDigest(r as unknown as IndexRecord), recordDigest(signed))).toBe(i === mutations.length - 1);
    });
  });
  it('digests change with any field (property)', () => {
    const base = recordDigest(signed);
    fc.assert(
      fc.property(
        fc.constantFrom('patient', 'locator', 'hospital.id', 'ciphertext.scheme', 'keywords'),
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[a-z][a-z0-9-]*$/.test(s)),
        (field, value) => {
          const r = structuredClone(signed) as unknown as Record<string, Record<string, unknown> | unknown>;
          const [a, b] = field.split('.') as [string, string | undefined];
          if (b === undefined) r[a] = a === 'keywords' ? [value] : value;
          else (r[a] as Record<string, unknown>)[b] = value;
          const same = JSON.stringify(r) === JSON.stringify(signed);
          expect(equal(recordDigest(r as unknown as IndexRecord), base)).toBe(same);
        },
      ),
      { numRuns: runs(100) },
    );
  });
  it('canonical form is independent of key order and idempotent', () => {
    const reversed = JSON.parse(
      JSON.stringify(
        signed,
        Object.keys(signed).reverse().concat(['id', 'keyFingerprint', 'size', 'scheme', 'digest', 'alg', 'value']),
      ),
    );
    expect(canonicalize(reversed)).toBe(canonicalize(signed));
    expect(canonicalize(parseRecord(canonicalize(signed)))).toBe(canonicalize(signed));
  });
  it('the direct canonical writer equals generic JCS (and the canonicalize package) on random records', () => {
    const txt = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: excluding control characters is the point
      .filter((t) => !/[\u0000-\u001f\u007f-\u009f]/.test(t));
    fc.assert(
      fc.property(
        txt,
        txt,
        txt,
        fc.uniqueArray(txt, { maxLength: 4 }),
        fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
        fc.nat(),
        fc.boolean(),
        (patient, hospitalId, locator, keywords, previous, size, sign) => {
          const d = createRecord({
            patient,
            hospitalId,
            hospitalPublicKey: hospital.publicKey,
            ciphertextDigest: new Uint8Array(32).fill(size & 0xff),
            ciphertextSize: size,
            scheme: 'bsw07',
            locator,
            policyDigest: new Uint8Array(32),
            cesHeaderDigest: new Uint8Array(32).fill(1),
            ...(keywords.length > 0 ? { keywords } : {}),
            ...(previous === undefined ? {} : { previous }),
          });
          const r = sign ? signRecord(d, hospital.secretKey) : d;
          expect(canonicalize(r)).toBe(canonicalizeJson(r));
          expect(canonicalize(r)).toBe(canonicalizeOracle(r));
          expect(parseRecord(canonicalize(sign ? r : signRecord(d, hospital.secretKey)))).toBeDefined();
        },
      ),
      { numRuns: runs(60) },
    );
  });
  it('tags are distinct per purpose', () => {
    const vals = Object.values(TAGS);
    expect(new Set(vals).size).toBe(vals.length);
    const b = new Uint8Array([1, 2, 3]);
    expect(ciphertextDigest(b)).not.toEqual(cesHeaderDigest(b));
  });
});

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
function fromB64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64url'));
}
