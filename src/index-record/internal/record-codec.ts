/**
 * Reading and writing index records (format v1, `docs/index-record.md`): validation that
 * names the offending field, the RFC 8785 canonical text written directly in member order,
 * and the frozen record object. Internal.
 */
import { describe } from '../../internal/assert.js';
import { utf8 } from '../../internal/bytes.js';
import { taggedHash } from '../../internal/tagged-hash.js';
import { SIGNATURE_ALG } from '../keys.js';
import { TAGS } from '../tags.js';
import type { IndexRecord, UnsignedIndexRecord } from '../types.js';
import { b64text, bad, int, obj, text, timestamp } from './fields.js';

const WHAT = 'index record';
/**
 * The record format version this library writes and reads.
 *
 * @example
 * ```ts
 * import { RECORD_VERSION } from 'bpds/index-record';
 * console.log(RECORD_VERSION); // 1
 * ```
 */
export const RECORD_VERSION = 1;

/**
 * Limits enforced on every index record.
 *
 * @example
 * ```ts
 * import { RECORD_LIMITS } from 'bpds/index-record';
 * console.log(RECORD_LIMITS.maxLocatorLength); // 2048
 * ```
 */
export const RECORD_LIMITS = {
  /** Longest JSON text accepted by {@link parseRecord} (UTF-16 units). */
  maxJsonLength: 16_384,
  /** Longest patient pseudonym and hospital id. */
  maxIdLength: 256,
  /** Longest storage locator. */
  maxLocatorLength: 2048,
  /** Most keyword tags, and the longest tag. */
  maxKeywords: 32,
  maxKeywordLength: 64,
  /** Largest ciphertext size (2^53-1 bytes). */
  maxCiphertextSize: Number.MAX_SAFE_INTEGER,
} as const;

const SCHEME_RE = /^[a-z][a-z0-9-]{0,31}$/;

const TOP_REQUIRED = [
  'version',
  'recordId',
  'patient',
  'hospital',
  'createdAt',
  'ciphertext',
  'locator',
  'policyDigest',
  'cesHeaderDigest',
] as const;

/** Validated field values of a record, read once from the input. */
export interface Fields {
  recordId: string;
  patient: string;
  hospitalId: string;
  keyFingerprint: string;
  createdAt: string;
  digest: string;
  size: number;
  scheme: string;
  locator: string;
  policyDigest: string;
  cesHeaderDigest: string;
  keywords: string[] | undefined;
  previous: string | undefined;
  signature: string | undefined;
}

export function read(value: unknown, signed: boolean | 'optional'): Fields {
  const optional = ['keywords', 'previous'];
  if (signed !== false) optional.push('signature');
  const required: string[] = [...TOP_REQUIRED];
  if (signed === true) required.push('signature');
  const o = obj(value, WHAT, '', required, optional);
  if (o.version !== RECORD_VERSION) bad(WHAT, 'version', `expected ${RECORD_VERSION}`);
  const h = obj(o.hospital, WHAT, 'hospital', ['id', 'keyFingerprint']);
  const c = obj(o.ciphertext, WHAT, 'ciphertext', ['digest', 'size', 'scheme']);
  const f: Fields = {
    recordId: b64text(o.recordId, WHAT, 'recordId', 16),
    patient: text(o.patient, WHAT, 'patient', RECORD_LIMITS.maxIdLength),
    hospitalId: text(h.id, WHAT, 'hospital.id', RECORD_LIMITS.maxIdLength),
    keyFingerprint: b64text(h.keyFingerprint, WHAT, 'hospital.keyFingerprint', 32),
    createdAt: o.createdAt as string,
    digest: b64text(c.digest, WHAT, 'ciphertext.digest', 32),
    size: int(c.size, WHAT, 'ciphertext.size', 0, RECORD_LIMITS.maxCiphertextSize),
    scheme: c.scheme as string,
    locator: '',
    policyDigest: '',
    cesHeaderDigest: '',
    keywords: undefined,
    previous: undefined,
    signature: undefined,
  };
  timestamp(f.createdAt, WHAT, 'createdAt');
  if (typeof f.scheme !== 'string' || !SCHEME_RE.test(f.scheme)) {
    bad(WHAT, 'ciphertext.scheme', 'expected a scheme id matching [a-z][a-z0-9-]{0,31}');
  }
  f.locator = text(o.locator, WHAT, 'locator', RECORD_LIMITS.maxLocatorLength);
  f.policyDigest = b64text(o.policyDigest, WHAT, 'policyDigest', 32);
  f.cesHeaderDigest = b64text(o.cesHeaderDigest, WHAT, 'cesHeaderDigest', 32);
  const kw = o.keywords;
  if (kw !== undefined) {
    if (!Array.isArray(kw)) bad(WHAT, 'keywords', `expected array, got ${describe(kw)}`);
    if (kw.length > RECORD_LIMITS.maxKeywords)
      bad(WHAT, 'keywords', `has more than ${RECORD_LIMITS.maxKeywords} entries`);
    const list: string[] = [];
    for (let i = 0; i < kw.length; i++) {
      const k = text(kw[i], WHAT, `keywords[${i}]`, RECORD_LIMITS.maxKeywordLength);
      if (list.includes(k)) bad(WHAT, `keywords[${i}]`, 'is a duplicate');
      list.push(k);
    }
    f.keywords = list;
  }
  if (o.previous !== undefined) f.previous = b64text(o.previous, WHAT, 'previous', 32);
  if (o.signature !== undefined) {
    const sg = obj(o.signature, WHAT, 'signature', ['alg', 'value']);
    if (sg.alg !== SIGNATURE_ALG) bad(WHAT, 'signature.alg', `expected "${SIGNATURE_ALG}"`);
    f.signature = b64text(sg.value, WHAT, 'signature.value', 64);
  }
  return f;
}

/**
 * RFC 8785 canonical JSON of validated fields, written directly in the canonical member
 * order (names sorted by UTF-16 code units); equal to `canonicalizeJson` of the record.
 */
export function canonicalText(f: Fields, withSignature: boolean): string {
  const q = JSON.stringify;
  let s = `{"cesHeaderDigest":"${f.cesHeaderDigest}","ciphertext":{"digest":"${f.digest}","scheme":${q(f.scheme)},"size":${f.size}},"createdAt":${q(f.createdAt)},"hospital":{"id":${q(f.hospitalId)},"keyFingerprint":"${f.keyFingerprint}"}`;
  if (f.keywords !== undefined) s += `,"keywords":[${f.keywords.map((k) => q(k)).join(',')}]`;
  s += `,"locator":${q(f.locator)},"patient":${q(f.patient)},"policyDigest":"${f.policyDigest}"`;
  if (f.previous !== undefined) s += `,"previous":"${f.previous}"`;
  s += `,"recordId":"${f.recordId}"`;
  if (withSignature && f.signature !== undefined)
    s += `,"signature":{"alg":"${SIGNATURE_ALG}","value":"${f.signature}"}`;
  return `${s},"version":${RECORD_VERSION}}`;
}

export function build(f: Fields, withSignature: boolean): UnsignedIndexRecord | IndexRecord {
  const r: Record<string, unknown> = {
    version: RECORD_VERSION,
    recordId: f.recordId,
    patient: f.patient,
    hospital: Object.freeze({ id: f.hospitalId, keyFingerprint: f.keyFingerprint }),
    createdAt: f.createdAt,
    ciphertext: Object.freeze({ digest: f.digest, size: f.size, scheme: f.scheme }),
    locator: f.locator,
    policyDigest: f.policyDigest,
    cesHeaderDigest: f.cesHeaderDigest,
  };
  if (f.keywords !== undefined) r.keywords = Object.freeze(f.keywords);
  if (f.previous !== undefined) r.previous = f.previous;
  if (withSignature && f.signature !== undefined)
    r.signature = Object.freeze({ alg: SIGNATURE_ALG, value: f.signature });
  return Object.freeze(r) as unknown as IndexRecord;
}

export function check(value: unknown, signed: boolean | 'optional'): UnsignedIndexRecord | IndexRecord {
  return build(read(value, signed), true);
}

export function digestOf(f: Fields): Uint8Array {
  return taggedHash(TAGS.indexRecord, utf8(canonicalText(f, false)));
}
