/**
 * The signed header of a content extraction signature (Steinfeld–Bull–Zheng §4:
 * the signature covers the document identifier, the number of submessages and the
 * CEAS together with the submessage commitments). Internal.
 *
 * Encoding, version 1:
 * `version u8 || scheme u8 || hash u8 (1 = SHA-256) || alg u8 || documentId 16 ||
 *  count u32 || issuedAt u64 (Unix seconds) || rulesId string || rulesDigest 32 ||
 *  holder u8 (0/1) [|| holderKey varBytes] || maskLen u32 || tagCount u32 ||
 *  tagCount × (index u32 || mask maskLen)`.
 * Tags mark, for the submessages that fall under a fullness rule path (mandatory,
 * groups, requires.needs), which of those paths they fall under, so a verifier can
 * check "all of /address is disclosed" without learning any hidden path.
 */
import { InvalidEncodingError } from '../../errors.js';
import { ByteReader, ByteWriter } from '../../internal/codec.js';
import { ALG_IDS, algFromId, isBlsAlgorithm, type SignatureAlgorithm, VerifyKey } from '../keys.js';
import { MAX_FULL_PATTERNS } from '../rules.js';
import { MAX_SUBMESSAGES } from './record.js';

/** Scheme names and their stable ids. */
export const SCHEME_IDS = { 'commit-vector': 1, 'hash-tree': 2, aggregate: 3 } as const;
/** A scheme with a bpds CES header (commit-vector, hash-tree, aggregate). */
export type CesSchemeName = keyof typeof SCHEME_IDS;
/** A content extraction signature scheme: the three CES schemes, or `sd-jwt` (RFC 9901). */
export type SchemeName = 'commit-vector' | 'hash-tree' | 'aggregate' | 'sd-jwt';

const HEADER_VERSION = 1;
const HASH_SHA256 = 1;
/** Length of document ids and salts. */
export const DOC_ID_BYTES = 16;

/** The decoded header. */
export interface Header {
  readonly scheme: CesSchemeName;
  readonly alg: SignatureAlgorithm;
  readonly documentId: Uint8Array;
  readonly count: number;
  readonly issuedAt: number;
  readonly rulesId: string;
  readonly rulesDigest: Uint8Array;
  readonly holderKey: VerifyKey | undefined;
  readonly maskLen: number;
  /** index -> non-zero mask, ascending indices. */
  readonly tags: ReadonlyMap<number, Uint8Array>;
}

export function schemeFromId(id: number): CesSchemeName | undefined {
  for (const [k, v] of Object.entries(SCHEME_IDS)) if (v === id) return k as CesSchemeName;
  return undefined;
}

export function encodeHeader(h: Header): Uint8Array {
  const w = new ByteWriter()
    .u8(HEADER_VERSION)
    .u8(SCHEME_IDS[h.scheme])
    .u8(HASH_SHA256)
    .u8(ALG_IDS[h.alg])
    .bytes(h.documentId)
    .u32(h.count)
    .u32(Math.floor(h.issuedAt / 2 ** 32))
    .u32(h.issuedAt >>> 0)
    .string(h.rulesId)
    .bytes(h.rulesDigest);
  if (h.holderKey === undefined) w.u8(0);
  else w.u8(1).varBytes(h.holderKey.toBytes());
  w.u32(h.maskLen).u32(h.tags.size);
  for (const [i, m] of [...h.tags].sort((a, b) => a[0] - b[0])) w.u32(i).bytes(m);
  return w.finish();
}

export function decodeHeader(bytes: Uint8Array): Header {
  const r = new ByteReader(bytes, 'ces header');
  if (r.u8('version') !== HEADER_VERSION) throw new InvalidEncodingError('ces header: unknown version');
  const scheme = schemeFromId(r.u8('scheme'));
  if (scheme === undefined) throw new InvalidEncodingError('ces header: unknown scheme');
  if (r.u8('hash') !== HASH_SHA256) throw new InvalidEncodingError('ces header: unknown hash');
  const alg = algFromId(r.u8('alg'));
  if (alg === undefined) throw new InvalidEncodingError('ces header: unknown algorithm');
  if (isBlsAlgorithm(alg) !== (scheme === 'aggregate')) {
    throw new InvalidEncodingError('ces header: algorithm does not fit the scheme');
  }
  const documentId = r.bytes(DOC_ID_BYTES, 'documentId').slice();
  const count = r.u32('count');
  if (count < 1 || count > MAX_SUBMESSAGES) throw new InvalidEncodingError('ces header: count out of range');
  const hi = r.u32('issuedAt');
  if (hi >= 2 ** 21) throw new InvalidEncodingError('ces header: issuedAt out of range');
  const issuedAt = hi * 2 ** 32 + r.u32('issuedAt');
  const rulesId = r.string('rulesId', 1024);
  const rulesDigest = r.bytes(32, 'rulesDigest').slice();
  const hasHolder = r.u8('holder');
  let holderKey: VerifyKey | undefined;
  if (hasHolder === 1) {
    const kb = r.varBytes('holderKey', 128);
    if (kb[2] === ALG_IDS['bls-bn254'] || kb[2] === ALG_IDS['bls12-381'])
      throw new InvalidEncodingError('ces header: BLS holder keys are not supported');
    holderKey = VerifyKey.fromBytes(kb);
  } else if (hasHolder !== 0) throw new InvalidEncodingError('ces header: bad holder flag');
  const maskLen = r.count('maskLen', MAX_FULL_PATTERNS / 8);
  const n = r.count('tagCount', count);
  const tags = new Map<number, Uint8Array>();
  let prev = -1;
  for (let k = 0; k < n; k++) {
    const i = r.u32('tag index');
    if (i <= prev || i >= count) throw new InvalidEncodingError('ces header: tag indices must ascend below count');
    const m = r.bytes(maskLen, 'tag mask').slice();
    if (m.every((x) => x === 0)) throw new InvalidEncodingError('ces header: empty tag mask');
    tags.set(i, m);
    prev = i;
  }
  r.end();
  return { scheme, alg, documentId, count, issuedAt, rulesId, rulesDigest, holderKey, maskLen, tags };
}
