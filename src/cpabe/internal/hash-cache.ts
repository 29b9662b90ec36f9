/**
 * A bounded cache of hash-to-curve results shared by the CP-ABE schemes: hashing an
 * attribute to G1 costs ~0.07 ms and to G2 ~0.3 ms, and the same attribute (and
 * policy column) hashes recur across encryptions, key generations and CCA checks.
 *
 * The cache key is the domain-separation tag plus the hex of the exact hash input, so
 * two different inputs never share an entry. Entries are evicted oldest-first when the
 * cache holds {@link HASH_CACHE_MAX} points. Cached points are never mutated (every
 * pairing-layer operation returns a fresh object). Internal.
 */
import { toHex } from '../../internal/bytes.js';
import { type G1, type G2, hashToG1, hashToG2 } from '../../pairing/index.js';

/** Maximum number of points kept per group. */
export const HASH_CACHE_MAX = 16384;

const g1Cache = new Map<string, G1>();
const g2Cache = new Map<string, G2>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= HASH_CACHE_MAX) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, value);
  return value;
}

/** `hashToG1(dst, msg)`, memoized. */
export function cachedHashToG1(dst: string, msg: Uint8Array): G1 {
  const key = `${dst}\u0000${toHex(msg)}`;
  return g1Cache.get(key) ?? remember(g1Cache, key, hashToG1(dst, msg));
}

/** `hashToG2(dst, msg)`, memoized. */
export function cachedHashToG2(dst: string, msg: Uint8Array): G2 {
  const key = `${dst}\u0000${toHex(msg)}`;
  return g2Cache.get(key) ?? remember(g2Cache, key, hashToG2(dst, msg));
}

/** Empty both caches (tests and benchmarks that measure uncached hashing). */
export function clearHashCache(): void {
  g1Cache.clear();
  g2Cache.clear();
}
