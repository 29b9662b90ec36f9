/**
 * Blocks of `MemoryLedger`: format, hashes and the re-derivation `verifyChain` runs.
 * Header hash: tagged SHA-256 (`bpds/v1/ledger/block`) of the RFC 8785 canonical header;
 * `txRoot`: RFC 6962 Merkle root of the entry digests.
 */

import { merkleRoot } from '../index-record/merkle.js';
import { TAGS } from '../index-record/tags.js';
import { fromBase64url, toBase64url, utf8 } from '../internal/bytes.js';
import { canonicalBytes } from '../internal/jcs.js';
import { taggedHash } from '../internal/tagged-hash.js';
import type { SignedTransaction } from './types.js';

/** One applied transaction in a block, with the ledger time it was applied at. */
export interface BlockEntry {
  readonly tx: SignedTransaction;
  /** RFC 3339 UTC time of application (the contract's clock for this transaction). */
  readonly time: string;
}

/** A block header; its hash is tagged SHA-256 (`bpds/v1/ledger/block`) of its canonical JSON. */
export interface BlockHeader {
  readonly v: 1;
  readonly chain: string;
  readonly height: number;
  /** Previous block's hash; for block 0, the genesis digest. */
  readonly prev: string;
  /** Time the block was sealed. */
  readonly time: string;
  /** Merkle root of the entry digests. */
  readonly txRoot: string;
  readonly txCount: number;
}

/** A sealed block. */
export interface Block {
  readonly header: BlockHeader;
  readonly entries: readonly BlockEntry[];
  /** base64url block hash. */
  readonly hash: string;
}

/** Result of {@link MemoryLedger.verifyChain}. */
export type ChainCheck =
  | { readonly ok: true; readonly height: number }
  | { readonly ok: false; readonly height: number; readonly reason: string };

/** Entry digest: H("bpds/v1/ledger/entry", txId ‖ sig ‖ utf8(time)) (two fixed-length fields, then the time). */
export function entryDigest(txIdBytes: Uint8Array, sig: Uint8Array, time: string): Uint8Array {
  return taggedHash(TAGS.ledgerEntry, txIdBytes, sig, utf8(time));
}

/** Recompute a stored entry's digest without re-validating the transaction (tampering shows as a mismatch). */
function storedEntryDigest(e: BlockEntry): Uint8Array | undefined {
  try {
    const { sig, ...rest } = e.tx as unknown as Record<string, unknown>;
    if (typeof sig !== 'string' || typeof e.time !== 'string') return undefined;
    const sigBytes = fromBase64url(sig);
    if (sigBytes.length !== 64) return undefined;
    return entryDigest(taggedHash(TAGS.ledgerTx, canonicalBytes(rest)), sigBytes, e.time);
  } catch {
    return undefined;
  }
}

export function blockHash(h: BlockHeader): string {
  return toBase64url(taggedHash(TAGS.ledgerBlock, canonicalBytes(h)));
}

/** The first inconsistency of a stored block, or undefined. */
export function checkBlock(b: Block, h: number, prev: string, chain: string): string | undefined {
  const hd = b.header;
  if (hd.v !== 1 || hd.chain !== chain) return 'header version or chain differs';
  if (hd.height !== h) return 'height differs';
  if (hd.prev !== prev) return 'previous hash link broken';
  if (hd.txCount !== b.entries.length) return 'transaction count differs';
  const digests: Uint8Array[] = [];
  for (const e of b.entries) {
    const d = typeof e === 'object' && e !== null ? storedEntryDigest(e) : undefined;
    if (d === undefined) return 'malformed transaction entry';
    digests.push(d);
  }
  if (toBase64url(merkleRoot(digests)) !== hd.txRoot) return 'Merkle root of the transactions differs';
  if (blockHash(hd) !== b.hash) return 'block hash differs from its header';
  return undefined;
}
