/**
 * The three content extraction signature schemes behind one internal interface.
 *
 * - `commit-vector`: Steinfeld–Bull–Zheng, "Content Extraction Signatures"
 *   (ICISC 2001), §4.1 CommitVector: σ = Sign(header, C_1, ..., C_n) with
 *   C_i = H(r_i, m_i); an extraction reveals (r_i, m_i) for i ∈ X and C_j for j ∉ X.
 * - `hash-tree`: the paper's HashTree idea (§4): the C_i are the leaves of a
 *   Merkle tree (RFC 6962 shape: split at the largest power of two below n); σ signs
 *   the header and the root; an extraction carries the minimal set of roots of
 *   fully hidden subtrees.
 * - `aggregate`: the paper's RSAProd idea (§4, constant-size extracted signature)
 *   with BLS aggregation (Boneh–Gentry–Lynn–Shacham, EUROCRYPT 2003): σ_i = H(m'_i)^x
 *   with m'_i = (documentId, i, m_i), σ_0 = H'(header)^x; the extracted signature
 *   σ = σ_0 · Π_{i∈X} σ_i is one G1 point, checked by
 *   e(σ, g2) = e(H'(header) · Π_{i∈X} H(m'_i), pk) as one 2-pair multi-pairing.
 *
 * Internal.
 */
import { concatBytes, u32be } from '../../internal/bytes.js';
import { randomBytes } from '../../internal/random.js';
import { taggedHash } from '../../internal/tagged-hash.js';
import {
  type G1,
  G1_BYTES,
  g1Add,
  g1FromBytes,
  g1Neg,
  g1ToBytes,
  g2Generator,
  gtIsOne,
  hashToG1,
  multiPairing,
} from '../../pairing/index.js';
import { blsPoint, blsSign, type SigningKey, signWith, type VerifyKey, verifyWith } from '../keys.js';
import { commit, SALT_BYTES } from './commit.js';
import { taggedHasher } from './fast-hash.js';
import type { CesSchemeName, Header } from './header.js';

/** A presentation entry as the verifier sees it. */
export interface Entry {
  readonly index: number;
  /** Salt (commit-vector, hash-tree) or empty (aggregate). */
  readonly salt: Uint8Array;
  /** Canonical bytes of `[path, value]`. */
  readonly bytes: Uint8Array;
}

/** Scheme-specific part of a presentation: one signature and a list of 32-byte hashes. */
export interface Body {
  readonly signature: Uint8Array;
  readonly hashes: readonly Uint8Array[];
}

/** Holder-side material of one slot: a real submessage's secret (salt or share) or a decoy. */
export type Slot =
  | { readonly real: true; readonly secret: Uint8Array }
  | { readonly real: false; readonly decoy: Uint8Array };

/** The internal contract of a scheme. */
export interface SchemeCore {
  readonly name: CesSchemeName;
  /** Length of a real slot's secret (salt 16, BLS share 32). */
  readonly secretLen: number;
  /** Length of a decoy slot (random commitment 32, or nothing for aggregate). */
  readonly decoyLen: number;
  /** Length of the salt carried by each presentation entry. */
  readonly saltLen: number;
  /** Sign: `items[i]` are the bytes of slot i, or null for a decoy. */
  sign(
    key: SigningKey,
    headerBytes: Uint8Array,
    header: Header,
    items: readonly (Uint8Array | null)[],
  ): {
    slots: Slot[];
    signature: Uint8Array;
  };
  /** The presentation body for the disclosed indices; `bytesOf(i)` is real slot i's bytes. */
  present(
    header: Header,
    signature: Uint8Array,
    slots: readonly Slot[],
    bytesOf: (i: number) => Uint8Array,
    disclosed: ReadonlySet<number>,
  ): Body;
  /** Bounds on the number of hashes in a body with `d` disclosed entries. */
  hashCount(header: Header, d: number): { min: number; max: number };
  /** Decoders validate every group element they accept: throws InvalidEncodingError for a bad one (aggregate: G1). */
  checkPoint?(bytes: Uint8Array, what: string): void;
  /** Cryptographic check. Returns false for any forgery; throws InvalidEncodingError for undecodable points. */
  verify(vk: VerifyKey, headerBytes: Uint8Array, header: Header, entries: readonly Entry[], body: Body): boolean;
}

const cvDigest = (headerBytes: Uint8Array, cs: readonly Uint8Array[]): Uint8Array =>
  taggedHash('bpds/v1/ces/commit-vector/sign', u32be(headerBytes.length), headerBytes, ...cs);

function leafOf(slot: Slot, bytes: () => Uint8Array): Uint8Array {
  return slot.real ? commit(slot.secret, bytes()) : slot.decoy;
}

function signCommitments(items: readonly (Uint8Array | null)[]): { slots: Slot[]; leaves: Uint8Array[] } {
  const salts = randomBytes(SALT_BYTES * items.length);
  const slots: Slot[] = [];
  const leaves: Uint8Array[] = [];
  items.forEach((b, i) => {
    if (b === null) {
      const decoy = randomBytes(32);
      slots.push({ real: false, decoy });
      leaves.push(decoy);
    } else {
      const secret = salts.slice(SALT_BYTES * i, SALT_BYTES * (i + 1));
      slots.push({ real: true, secret });
      leaves.push(commit(secret, b));
    }
  });
  return { slots, leaves };
}

const commitVector: SchemeCore = {
  name: 'commit-vector',
  secretLen: SALT_BYTES,
  decoyLen: 32,
  saltLen: SALT_BYTES,
  sign(key, headerBytes, _header, items) {
    const { slots, leaves } = signCommitments(items);
    return { slots, signature: signWith(key, cvDigest(headerBytes, leaves)) };
  },
  present(_header, signature, slots, bytesOf, disclosed) {
    const hashes: Uint8Array[] = [];
    slots.forEach((s, i) => {
      if (!disclosed.has(i)) hashes.push(leafOf(s, () => bytesOf(i)));
    });
    return { signature, hashes };
  },
  hashCount: (h, d) => ({ min: h.count - d, max: h.count - d }),
  verify(vk, headerBytes, header, entries, body) {
    const cs: Uint8Array[] = new Array(header.count);
    for (const e of entries) cs[e.index] = commit(e.salt, e.bytes);
    let k = 0;
    for (let i = 0; i < header.count; i++) if (cs[i] === undefined) cs[i] = body.hashes[k++] as Uint8Array;
    if (k !== body.hashes.length) return false;
    return verifyWith(vk, body.signature, cvDigest(headerBytes, cs));
  },
};

// ---- hash-tree -------------------------------------------------------------------

const H_NODE = taggedHasher('bpds/v1/ces/hash-tree/node');
const node = (l: Uint8Array, r: Uint8Array): Uint8Array => H_NODE(l, r);
const htDigest = (headerBytes: Uint8Array, root: Uint8Array): Uint8Array =>
  taggedHash('bpds/v1/ces/hash-tree/sign', u32be(headerBytes.length), headerBytes, root);

/** Largest power of two strictly below n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function treeRoot(leaf: (i: number) => Uint8Array, lo: number, hi: number): Uint8Array {
  if (hi - lo === 1) return leaf(lo);
  const k = split(hi - lo);
  return node(treeRoot(leaf, lo, lo + k), treeRoot(leaf, lo + k, hi));
}

/** Prefix counts of disclosed indices, to test "any disclosed in [lo, hi)" in O(1). */
function prefixCounts(n: number, has: (i: number) => boolean): Int32Array {
  const p = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) p[i + 1] = (p[i] as number) + (has(i) ? 1 : 0);
  return p;
}

const hashTree: SchemeCore = {
  name: 'hash-tree',
  secretLen: SALT_BYTES,
  decoyLen: 32,
  saltLen: SALT_BYTES,
  sign(key, headerBytes, _header, items) {
    const { slots, leaves } = signCommitments(items);
    const root = treeRoot((i) => leaves[i] as Uint8Array, 0, leaves.length);
    return { slots, signature: signWith(key, htDigest(headerBytes, root)) };
  },
  present(header, signature, slots, bytesOf, disclosed) {
    const n = header.count;
    const pc = prefixCounts(n, (i) => disclosed.has(i));
    const leaf = (i: number) => leafOf(slots[i] as Slot, () => bytesOf(i));
    const hashes: Uint8Array[] = [];
    const prove = (lo: number, hi: number): void => {
      if (pc[hi] === pc[lo]) hashes.push(treeRoot(leaf, lo, hi));
      else if (hi - lo > 1) {
        const k = split(hi - lo);
        prove(lo, lo + k);
        prove(lo + k, hi);
      }
    };
    prove(0, n);
    return { signature, hashes };
  },
  hashCount: (h) => ({ min: 0, max: h.count }),
  verify(vk, headerBytes, header, entries, body) {
    const n = header.count;
    const leaves = new Map<number, Uint8Array>();
    for (const e of entries) leaves.set(e.index, commit(e.salt, e.bytes));
    const pc = prefixCounts(n, (i) => leaves.has(i));
    let k = 0;
    let ok = true;
    const rebuild = (lo: number, hi: number): Uint8Array => {
      if (pc[hi] === pc[lo]) {
        const h = body.hashes[k++];
        if (h === undefined) {
          ok = false;
          return new Uint8Array(32);
        }
        return h;
      }
      if (hi - lo === 1) return leaves.get(lo) as Uint8Array;
      const s = split(hi - lo);
      return node(rebuild(lo, lo + s), rebuild(lo + s, hi));
    };
    const root = rebuild(0, n);
    if (!ok || k !== body.hashes.length) return false;
    return verifyWith(vk, body.signature, htDigest(headerBytes, root));
  },
};

// ---- aggregate (BLS on the loaded curve) ------------------------------------------------------

const DST_SHARE = 'bpds/v1/ces/aggregate/share';
const DST_HEADER = 'bpds/v1/ces/aggregate/header';

const shareMsg = (header: Header, i: number, bytes: Uint8Array): Uint8Array =>
  concatBytes(header.documentId, u32be(i), u32be(bytes.length), bytes);

const aggregate: SchemeCore = {
  name: 'aggregate',
  // One G1 point: 32 bytes on BN254, 48 on BLS12-381.
  get secretLen() {
    return G1_BYTES;
  },
  decoyLen: 0,
  saltLen: 0,
  sign(key, headerBytes, header, items) {
    const slots: Slot[] = items.map((b, i) =>
      b === null
        ? { real: false, decoy: new Uint8Array(0) }
        : { real: true, secret: g1ToBytes(blsSign(key, DST_SHARE, shareMsg(header, i, b))) },
    );
    return { slots, signature: g1ToBytes(blsSign(key, DST_HEADER, headerBytes)) };
  },
  present(_header, signature, slots, _bytesOf, disclosed) {
    let sigma: G1 = g1FromBytes(signature, 'aggregate header share');
    for (const i of disclosed) {
      const s = slots[i] as Slot;
      if (s.real) sigma = g1Add(sigma, g1FromBytes(s.secret, 'aggregate share'));
    }
    return { signature: g1ToBytes(sigma), hashes: [] };
  },
  hashCount: () => ({ min: 0, max: 0 }),
  checkPoint(bytes, what) {
    g1FromBytes(bytes, what);
  },
  verify(vk, headerBytes, header, entries, body) {
    const pk = blsPoint(vk);
    const sigma = g1FromBytes(body.signature, 'aggregate signature');
    let h = hashToG1(DST_HEADER, headerBytes);
    for (const e of entries) h = g1Add(h, hashToG1(DST_SHARE, shareMsg(header, e.index, e.bytes)));
    return gtIsOne(multiPairing([sigma, g1Neg(h)], [g2Generator(), pk]));
  },
};

/** The scheme implementation for a name. */
export const SCHEMES: Readonly<Record<CesSchemeName, SchemeCore>> = {
  'commit-vector': commitVector,
  'hash-tree': hashTree,
  aggregate,
};
