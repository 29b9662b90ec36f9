/**
 * Hashing into Fr, G1 and G2 with an explicit domain-separation tag per use.
 *
 * Every input is `lp(utf8(dst)) || msg` where lp is a 4-byte big-endian length
 * prefix, so two (dst, msg) pairs never give the same hash input.
 * - Fr: SHA-512 of that input, reduced mod r (bias < 2^-250).
 * - G1/G2: mcl's `hashAndMapTo` (SHA-256 then a deterministic map to the curve,
 *   cofactor-cleared for G2): a real hash-to-curve whose discrete logarithms are
 *   unknown, never g^H(x).
 */
import { sha512 } from '@noble/hashes/sha2.js';
import type * as Mcl from 'mcl-wasm';
import { concatBytes, lp, utf8 } from '../internal/bytes.js';
import { be } from './backend.js';
import { counter } from './counters.js';
import type { Fr, G1, G2 } from './types.js';

function input(dst: string, msg: Uint8Array): Uint8Array {
  if (dst.length === 0) throw new RangeError('hash: empty domain-separation tag');
  return concatBytes(lp(utf8(dst)), msg);
}

/** Hash to a scalar under domain-separation tag `dst`. */
export function hashToFr(dst: string, msg: Uint8Array): Fr {
  const x = new (be().mcl.Fr)();
  x.setLittleEndianMod(sha512(input(dst, msg)));
  return x as unknown as Fr;
}

/** Hash to G1 under domain-separation tag `dst`. */
export function hashToG1(dst: string, msg: Uint8Array): G1 {
  if (counter.on) counter.c.hashG1++;
  return be().mcl.hashAndMapToG1(input(dst, msg)) as Mcl.G1 as unknown as G1;
}

/** Hash to G2 under domain-separation tag `dst`. */
export function hashToG2(dst: string, msg: Uint8Array): G2 {
  if (counter.on) counter.c.hashG2++;
  return be().mcl.hashAndMapToG2(input(dst, msg)) as Mcl.G2 as unknown as G2;
}
