/**
 * Merkle batching of 32-byte digests: the Merkle Tree Hash and audit paths of
 * RFC 6962 (B. Laurie, A. Langley, E. Kasper, 2013), §2.1 and §2.1.1, verified with
 * the algorithm of RFC 9162 §2.1.3.2, with the leaf/node domain separation done
 * by distinct tags (`bpds/v1/merkle/leaf`, `bpds/v1/merkle/node`) instead of the
 * 0x00/0x01 prefixes. A hospital anchors many index records in one ledger
 * transaction by publishing only the root.
 */
import { InvalidArgumentError, InvalidEncodingError } from '../errors.js';
import { assertBytes, assertInteger, describe } from '../internal/assert.js';
import { equalBytes } from '../internal/bytes.js';
import { ByteReader, ByteWriter } from '../internal/codec.js';
import { fromJsonForm, type JsonForm, toJsonForm } from '../internal/json-form.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { TAGS } from './tags.js';

/** Most leaves in one tree (2^32 - 1) and longest audit path. */
const MAX_PATH = 64;
const PROOF_VERSION = 1;

function leafHash(d: Uint8Array): Uint8Array {
  return taggedHash(TAGS.merkleLeaf, d);
}
function nodeHash(l: Uint8Array, r: Uint8Array): Uint8Array {
  return taggedHash(TAGS.merkleNode, l, r);
}

function checkDigests(digests: readonly Uint8Array[]): void {
  if (!Array.isArray(digests)) throw new InvalidArgumentError(`"digests" expected Array, got ${describe(digests)}`);
  for (let i = 0; i < digests.length; i++) assertBytes(digests[i], `digests[${i}]`, 32);
}

/** Largest power of two strictly less than n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function mth(leaves: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 1) return leaves[lo] as Uint8Array;
  const k = split(n);
  return nodeHash(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

/**
 * Merkle Tree Hash (RFC 6962 §2.1) of a list of 32-byte digests, e.g. {@link recordDigest}s.
 * The empty list has the root `taggedHash('bpds/v1/merkle/empty')`.
 *
 * @returns 32 bytes
 * @throws InvalidArgumentError unless `digests` is an array of 32-byte Uint8Arrays
 * @example
 * ```ts
 * import { merkleRoot } from 'bpds/index-record';
 * const root = merkleRoot([new Uint8Array(32), new Uint8Array(32).fill(1)]);
 * ```
 */
export function merkleRoot(digests: readonly Uint8Array[]): Uint8Array {
  checkDigests(digests);
  if (digests.length === 0) return taggedHash(TAGS.merkleEmpty);
  return mth(digests.map(leafHash), 0, digests.length);
}

/**
 * An inclusion proof (RFC 6962 §2.1.1 audit path) of leaf `index` in a tree of `size` leaves.
 *
 * @example
 * ```ts
 * import { MerkleProof, merkleProof } from 'bpds/index-record';
 * const p = merkleProof([new Uint8Array(32), new Uint8Array(32)], 1);
 * const same = MerkleProof.fromBytes(p.toBytes());
 * ```
 */
export class MerkleProof {
  /** 0-based index of the leaf. */
  readonly index: number;
  /** Number of leaves in the tree. */
  readonly size: number;
  /** Sibling hashes from the leaf up to the root. */
  readonly path: readonly Uint8Array[];

  /**
   * @throws InvalidArgumentError for an index outside [0, size) or a path entry that is not 32 bytes
   */
  constructor(index: number, size: number, path: readonly Uint8Array[]) {
    assertInteger(size, 'size', 1, 0xffffffff);
    assertInteger(index, 'index', 0, size - 1);
    if (!Array.isArray(path) || path.length > MAX_PATH) {
      throw new InvalidArgumentError(`"path" expected an array of at most ${MAX_PATH} hashes`);
    }
    for (let i = 0; i < path.length; i++) assertBytes(path[i], `path[${i}]`, 32);
    this.index = index;
    this.size = size;
    this.path = Object.freeze(path.map((p) => p.slice()));
  }

  /** Versioned binary encoding: `0x01 || u32 index || u32 size || u8 count || count × 32 bytes`. */
  toBytes(): Uint8Array {
    const w = new ByteWriter().u8(PROOF_VERSION).u32(this.index).u32(this.size).u8(this.path.length);
    for (const p of this.path) w.bytes(p);
    return w.finish();
  }

  /** The JSON form, `{ "typ": "bpds-merkle-proof", "v": 1, "data": base64url(toBytes()) }`. */
  toJSON(): JsonForm {
    return toJsonForm('bpds-merkle-proof', this.toBytes());
  }

  /**
   * Decode the JSON form of {@link MerkleProof.toJSON} (the object or its text).
   *
   * @throws InvalidEncodingError on another type or version, or a malformed proof
   */
  static fromJSON(json: JsonForm | string): MerkleProof {
    return MerkleProof.fromBytes(fromJsonForm(json, 'bpds-merkle-proof', 'Merkle proof'));
  }

  /**
   * Decode {@link MerkleProof.toBytes}.
   *
   * @throws InvalidEncodingError for a wrong version, truncation, trailing bytes or inconsistent fields
   */
  static fromBytes(bytes: Uint8Array): MerkleProof {
    assertBytes(bytes, 'bytes');
    const r = new ByteReader(bytes, 'Merkle proof');
    const v = r.u8('version');
    if (v !== PROOF_VERSION) throw new InvalidEncodingError(`Merkle proof: unknown version ${v}`);
    const index = r.u32('index');
    const size = r.u32('size');
    const n = r.u8('path length');
    if (n > MAX_PATH) throw new InvalidEncodingError(`Merkle proof: path length ${n} exceeds ${MAX_PATH}`);
    const path: Uint8Array[] = [];
    for (let i = 0; i < n; i++) path.push(r.bytes(32, `path[${i}]`).slice());
    r.end();
    if (size === 0 || index >= size) throw new InvalidEncodingError('Merkle proof: index outside the tree');
    return new MerkleProof(index, size, path);
  }
}

/**
 * The inclusion proof of `digests[index]` (RFC 6962 §2.1.1).
 *
 * @throws InvalidArgumentError for bad digests or an index outside the list
 * @example
 * ```ts
 * import { merkleProof, merkleRoot, verifyMerkleProof } from 'bpds/index-record';
 * const ds = [new Uint8Array(32), new Uint8Array(32).fill(7), new Uint8Array(32).fill(9)];
 * verifyMerkleProof(merkleRoot(ds), ds[2]!, merkleProof(ds, 2), ds.length); // true
 * ```
 */
export function merkleProof(digests: readonly Uint8Array[], index: number): MerkleProof {
  checkDigests(digests);
  if (digests.length === 0) throw new InvalidArgumentError('"digests" must not be empty');
  assertInteger(index, 'index', 0, digests.length - 1);
  const leaves = digests.map(leafHash);
  const path: Uint8Array[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    const n = hi - lo;
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      walk(m, lo, lo + k);
      path.push(mth(leaves, lo + k, hi));
    } else {
      walk(m - k, lo + k, hi);
      path.push(mth(leaves, lo, lo + k));
    }
  };
  walk(index, 0, leaves.length);
  return new MerkleProof(index, leaves.length, path);
}

/**
 * Verify that `digest` is leaf `proof.index` of the tree of `size` leaves with root `root`
 * (RFC 9162 §2.1.3.2). `size` is the trusted tree size, read from the same place as `root`
 * (an anchor's `count`), never from the proof: a proof names its own size, and an audit
 * path can fit trees of several sizes, so the size it claims proves nothing. A proof for
 * another size does not verify. Returns false for any mismatch; throws only for arguments
 * of the wrong type.
 *
 * @param root - the Merkle root the verifier trusts (e.g. `Anchor.root`, decoded)
 * @param digest - the leaf digest (e.g. `recordDigest(record)`)
 * @param proof - the inclusion proof (untrusted)
 * @param size - the number of leaves under `root` (e.g. `Anchor.count`)
 * @throws InvalidArgumentError unless `root` and `digest` are 32 bytes, `proof` is a MerkleProof and `size` a positive integer
 * @example
 * ```ts
 * import { merkleProof, merkleRoot, verifyMerkleProof } from 'bpds/index-record';
 * const ds = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
 * verifyMerkleProof(merkleRoot(ds), ds[0]!, merkleProof(ds, 0), ds.length); // true
 * ```
 */
export function verifyMerkleProof(root: Uint8Array, digest: Uint8Array, proof: MerkleProof, size: number): boolean {
  assertBytes(root, 'root', 32);
  assertBytes(digest, 'digest', 32);
  if (!(proof instanceof MerkleProof))
    throw new InvalidArgumentError(`"proof" expected MerkleProof, got ${describe(proof)}`);
  assertInteger(size, 'size', 1, 0xffffffff);
  if (proof.size !== size) return false;
  let fn = proof.index;
  let sn = proof.size - 1;
  let r = leafHash(digest);
  for (const p of proof.path) {
    if (sn === 0) return false;
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}
