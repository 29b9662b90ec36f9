/**
 * Signing a record: Steinfeld–Bull–Zheng, "Content Extraction Signatures"
 * (ICISC 2001), the Sign algorithm of §4 (CommitVector, HashTree) and the
 * aggregate variant (BLS, Boneh–Gentry–Lynn–Shacham 2003) in place of RSAProd.
 *
 * @module ces
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { InvalidArgumentError } from '../errors.js';
import { assertInteger, assertObject, assertString } from '../internal/assert.js';
import { utf8 } from '../internal/bytes.js';
import { randomBytes } from '../internal/random.js';
import { maskLength, tagOf } from './internal/commit.js';
import { len4 } from './internal/fast-hash.js';
import { DOC_ID_BYTES, encodeHeader, type Header, SCHEME_IDS, type SchemeName } from './internal/header.js';
import { parsePattern } from './internal/path.js';
import { MAX_SUBMESSAGES, splitRecord } from './internal/record.js';
import { SCHEMES } from './internal/schemes.js';
import { isBlsAlgorithm, SigningKey, VerifyKey } from './keys.js';
import { type ExtractionRules, RuleSet } from './rules.js';
import { issueSdJwt } from './sd-jwt/issue.js';
import { makeSdSigned, makeSigned, type SignedRecord } from './signed-record.js';
import type { ClaimsPath, JsonValue, PatternInput } from './types.js';

/** Options of {@link sign}. */
export interface SignOptions {
  /**
   * `'commit-vector'` (default), `'hash-tree'`, `'aggregate'` (BLS key, needs `init()`) or
   * `'sd-jwt'` (an RFC 9901 SD-JWT VC signed with an Ed25519, P-256 or secp256k1 key).
   */
  readonly scheme?: SchemeName;
  /** Extraction rules (CEAS) signed with the record; default: no restriction. */
  readonly rules?: ExtractionRules | RuleSet;
  /** Holder key (Ed25519, P-256 or secp256k1) that must sign each presentation. */
  readonly holderPublicKey?: VerifyKey;
  /** Subtrees signed as one submessage (disclosed all or nothing), e.g. `['/address', ['name', null]]`. */
  readonly units?: readonly PatternInput[];
  /**
   * Pad the number of commitments with decoys up to a multiple of this (default 1: no decoys).
   * `sd-jwt`: pads every `_sd` array with decoy digests (default 4).
   */
  readonly bucket?: number;
  /**
   * `'shuffled'` (default): commitment positions are a random permutation and leak nothing.
   * `'record'`: record order (decoys last): smaller `hash-tree` proofs when hidden fields are
   * clustered, but positions reveal where hidden fields sit between disclosed ones.
   */
  readonly order?: 'shuffled' | 'record';
  /** Issue time in Unix seconds (default: now). */
  readonly issuedAt?: number;
  /** `sd-jwt` only: the SD-JWT VC type `vct` (default `urn:bpds:ces:record`). */
  readonly vct?: string;
  /** `sd-jwt` only: the issuer identifier `iss` (a URI; default none). */
  readonly issuer?: string;
}

/** The `sd-jwt` scheme: validate the options shared with CES, then issue. */
function signSd(signingKey: SigningKey, record: JsonValue, options: SignOptions): SignedRecord {
  const rules = RuleSet.from(options.rules ?? {});
  const holderKey = options.holderPublicKey;
  if (holderKey !== undefined && (!(holderKey instanceof VerifyKey) || isBlsAlgorithm(holderKey.algorithm))) {
    throw new InvalidArgumentError('"options.holderPublicKey" expected an Ed25519, P-256 or secp256k1 VerifyKey');
  }
  const unitsIn = options.units ?? [];
  if (!Array.isArray(unitsIn)) throw new InvalidArgumentError('"options.units" expected an array of paths');
  const units = unitsIn.map((u, i) => parsePattern(u, `options.units[${i}]`));
  const bucket = options.bucket ?? 4;
  assertInteger(bucket, 'options.bucket', 1, 1024);
  if (options.order !== undefined) throw new InvalidArgumentError('"options.order" does not apply to sd-jwt');
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  assertInteger(issuedAt, 'options.issuedAt', 0, 2 ** 53 - 1);
  const vct = options.vct ?? 'urn:bpds:ces:record';
  assertString(vct, 'options.vct', 2048);
  if (options.issuer !== undefined) assertString(options.issuer, 'options.issuer', 2048);
  splitRecord(record, units); // JSON data check and size bound, with the messages of the other schemes
  return makeSdSigned(
    issueSdJwt(signingKey, record, { rules, units, holderKey, bucket, issuedAt, vct, issuer: options.issuer }),
  );
}

/** Uniform random permutation of 0..n-1 (Fisher–Yates, rejection sampling on 32-bit draws). */
function shuffle<T>(xs: T[]): T[] {
  let pool = randomBytes(4 * xs.length + 64);
  let dv = new DataView(pool.buffer, pool.byteOffset, pool.length);
  let o = 0;
  const u32 = (): number => {
    if (o + 4 > pool.length) {
      pool = randomBytes(256);
      dv = new DataView(pool.buffer, pool.byteOffset, pool.length);
      o = 0;
    }
    const r = dv.getUint32(o, false);
    o += 4;
    return r;
  };
  for (let i = xs.length - 1; i > 0; i--) {
    const m = i + 1;
    const lim = Math.floor(2 ** 32 / m) * m;
    let r = u32();
    while (r >= lim) r = u32();
    const j = r % m;
    const t = xs[i] as T;
    xs[i] = xs[j] as T;
    xs[j] = t;
  }
  return xs;
}

const RECORD_TAG = sha256(utf8('bpds/v1/ces/record'));
const RECORD_PREFIX = new Uint8Array([...RECORD_TAG, ...RECORD_TAG]);

/** Digest binding the holder's record to the signed slots (checked at extraction). Internal. */
export function slotDigest(items: readonly (Uint8Array | null)[]): Uint8Array {
  const h = sha256.create().update(RECORD_PREFIX);
  for (const b of items) {
    if (b === null) h.update(len4(0xffffffff));
    else h.update(len4(b.length)).update(b);
  }
  return h.digest();
}

/**
 * Sign a JSON record (typically a FHIR resource or Bundle) as a content extraction
 * signature. The result holds every salt: keep it with the holder (patient) only.
 *
 * The record is split into submessages (every leaf and every empty object or array,
 * and each subtree matching `units` as a whole), each committed together with its
 * claims path. The signed header names the scheme, the hash, the algorithm, a random
 * 128-bit document id, the count, the rules id and digest, the issue time and the
 * optional holder key.
 *
 * @param signingKey - The signer's key: Ed25519/P-256/secp256k1 for `commit-vector` and
 *   `hash-tree`, `bls-bn254` or `bls12-381` for `aggregate`.
 * @param record - Plain JSON data.
 * @throws InvalidArgumentError for a wrong key type or algorithm, non-JSON data in the
 *   record (the message names the path), more than 65536 submessages, or bad options.
 * @throws NotInitializedError for the `aggregate` scheme before `await init()`.
 * @example
 * ```ts
 * import { sign, SigningKey } from 'bpds/ces';
 * const hospital = SigningKey.generate();
 * const signed = sign(hospital, { resourceType: 'Observation', status: 'final' }, {
 *   rules: { id: 'obs-v1', mandatory: ['/resourceType'] },
 * });
 * console.log(signed.scheme); // 'commit-vector'
 * ```
 */
export function sign(signingKey: SigningKey, record: JsonValue, options: SignOptions = {}): SignedRecord {
  if (!(signingKey instanceof SigningKey)) throw new InvalidArgumentError('"signingKey" expected a SigningKey');
  assertObject(options as unknown, 'options');
  const scheme = options.scheme ?? 'commit-vector';
  if (scheme === 'sd-jwt') return signSd(signingKey, record, options);
  if (!Object.hasOwn(SCHEME_IDS, scheme)) {
    throw new InvalidArgumentError(`"options.scheme" must be one of ${Object.keys(SCHEME_IDS).join(', ')}, sd-jwt`);
  }
  if (options.vct !== undefined || options.issuer !== undefined) {
    throw new InvalidArgumentError('"options.vct" and "options.issuer" apply to the sd-jwt scheme only');
  }
  if (isBlsAlgorithm(signingKey.algorithm) !== (scheme === 'aggregate')) {
    throw new InvalidArgumentError(
      `"signingKey" algorithm ${signingKey.algorithm} does not fit scheme ${scheme} (aggregate needs a BLS key: bls-bn254 or bls12-381)`,
    );
  }
  const rules = RuleSet.from(options.rules ?? {});
  const holderKey = options.holderPublicKey;
  if (holderKey !== undefined && (!(holderKey instanceof VerifyKey) || isBlsAlgorithm(holderKey.algorithm))) {
    throw new InvalidArgumentError('"options.holderPublicKey" expected an Ed25519, P-256 or secp256k1 VerifyKey');
  }
  const unitsIn = options.units ?? [];
  if (!Array.isArray(unitsIn)) throw new InvalidArgumentError('"options.units" expected an array of paths');
  const units = unitsIn.map((u, i) => parsePattern(u, `options.units[${i}]`));
  const bucket = options.bucket ?? 1;
  assertInteger(bucket, 'options.bucket', 1, MAX_SUBMESSAGES);
  const order = options.order ?? 'shuffled';
  if (order !== 'shuffled' && order !== 'record') {
    throw new InvalidArgumentError('"options.order" must be "shuffled" or "record"');
  }
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  assertInteger(issuedAt, 'options.issuedAt', 0, 2 ** 53 - 1);

  const subs = splitRecord(record, units);
  const count = Math.ceil(subs.length / bucket) * bucket;
  if (count > MAX_SUBMESSAGES) throw new InvalidArgumentError(`"record" padded to more than ${MAX_SUBMESSAGES}`);
  const order0: number[] = Array.from({ length: count }, (_, i) => i);
  const perm = order === 'shuffled' ? shuffle(order0) : order0;
  // perm[slot] = submessage index (>= subs.length: decoy)
  const items: (Uint8Array | null)[] = new Array(count);
  const paths: (ClaimsPath | undefined)[] = new Array(count);
  const tags = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const s = subs[perm[i] as number];
    items[i] = s === undefined ? null : s.bytes;
    paths[i] = s?.path;
    if (s !== undefined) {
      const t = tagOf(rules, s.path, s.container);
      if (t !== undefined) tags.set(i, t);
    }
  }
  const header: Header = {
    scheme,
    alg: signingKey.algorithm,
    documentId: randomBytes(DOC_ID_BYTES),
    count,
    issuedAt,
    rulesId: rules.id ?? '',
    rulesDigest: rules.digest,
    holderKey,
    maskLen: maskLength(rules),
    tags,
  };
  const headerBytes = encodeHeader(header);
  const { slots, signature } = SCHEMES[scheme].sign(signingKey, headerBytes, header, items);
  return makeSigned({
    header,
    headerBytes,
    rules,
    units,
    recordDigest: slotDigest(items),
    signature,
    slots,
    paths,
  });
}
