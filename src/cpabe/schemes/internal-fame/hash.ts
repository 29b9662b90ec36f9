/**
 * FAME's two hash families (Agrawal–Chase, CCS 2017, §3 and §4), both into G1
 * (the paper's source group G, where every per-row component lives):
 *
 * - H(y l t): attribute y (here with its occurrence index k, see `fame.ts`), l in
 *   {1,2,3}, t in {1,2};
 * - H(0 j l t): column j of the LSSS matrix.
 *
 * The paper separates the two families by the leading symbol 0. Here they use two
 * distinct domain-separation tags and typed, length-prefixed inputs, so the attribute
 * named `01` can never collide with column 1. Results are cached (bounded). Internal.
 */
import { concatBytes, lp, u32be, utf8 } from '../../../internal/bytes.js';
import type { G1 } from '../../../pairing/index.js';
import { cachedHashToG1 } from '../../internal/hash-cache.js';

const DST_ATTR = 'bpds/v1/cpabe/fame/H/attribute';
const DST_COL = 'bpds/v1/cpabe/fame/H/column';

/** H(y l t) for attribute label `y` at occurrence `k` (1-based), l in {1,2,3}, t in {1,2}. */
export function hAttr(y: string, k: number, l: number, t: number): G1 {
  return cachedHashToG1(DST_ATTR, concatBytes(lp(utf8(y)), u32be(k), Uint8Array.of(l, t)));
}

/** H(0 j l t) for LSSS column `j` (1-based), l in {1,2,3}, t in {1,2}. */
export function hCol(j: number, l: number, t: number): G1 {
  return cachedHashToG1(DST_COL, concatBytes(u32be(j), Uint8Array.of(l, t)));
}
