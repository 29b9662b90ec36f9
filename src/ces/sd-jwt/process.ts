/**
 * Processing an SD-JWT payload with its disclosures (RFC 9901 §7.1, steps 3-5),
 * strictly: every disclosure must be referenced exactly once; a digest may appear only
 * once; `_sd` must be an array of digests and `...` only the sole key of an array
 * element; a disclosed claim may not overwrite an existing one; the reserved names
 * `_sd` and `...` cannot be disclosed. Leaves are reported with their original paths
 * (array indices as issued, hidden elements counted). With `prune` (bpds records), a
 * container left empty only because its members are hidden is dropped, so hidden
 * parts are absent as with the other schemes; the record's own empty containers stay.
 * Internal.
 */
import type { JsonValue } from '../types.js';
import { type Disclosure, isDigest } from './disclosure.js';

/** Deepest nesting processed. */
export const MAX_SD_DEPTH = 64;

/** A disclosed leaf (primitive or empty container) with its original path in the payload. */
export interface SdLeaf {
  readonly path: (string | number)[];
  readonly value: JsonValue;
}

/** The result of processing. */
export interface Processed {
  /** The payload with disclosures applied, `_sd` and `_sd_alg` removed, hidden array elements dropped. */
  readonly payload: Record<string, JsonValue>;
  /** Path (in the payload) of each used disclosure, by digest. */
  readonly pathOf: ReadonlyMap<string, (string | number)[]>;
  /** Every disclosed leaf. */
  readonly leaves: readonly SdLeaf[];
  /** Number of digests in the visible structure (disclosed, hidden and decoys). */
  readonly digests: number;
}

class Malformed extends Error {}

const isObject = (v: unknown): v is Record<string, JsonValue> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Apply `disclosures` to `payload`. Returns undefined when the combination is not a
 * well-formed SD-JWT (the verifier's `'structure'` failure).
 */
export function processPayload(
  payload: Record<string, unknown>,
  disclosures: readonly Disclosure[],
  prune = false,
): Processed | undefined {
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) return undefined; // the same disclosure twice
    byDigest.set(d.digest, d);
  }
  const seen = new Set<string>();
  const pathOf = new Map<string, (string | number)[]>();
  const leaves: SdLeaf[] = [];
  const take = (dg: unknown): Disclosure | undefined => {
    if (!isDigest(dg) || seen.has(dg)) throw new Malformed();
    seen.add(dg);
    return byDigest.get(dg);
  };
  const EMPTIED = Symbol('emptied');
  const walk = (v: JsonValue, path: (string | number)[], depth: number): JsonValue | typeof EMPTIED => {
    if (depth > MAX_SD_DEPTH) throw new Malformed();
    if (Array.isArray(v)) {
      const out: JsonValue[] = [];
      v.forEach((el, i) => {
        if (isObject(el) && Object.hasOwn(el, '...')) {
          if (Object.keys(el).length !== 1) throw new Malformed();
          const d = take(el['...']);
          if (d === undefined) return;
          if (d.name !== undefined) throw new Malformed();
          pathOf.set(d.digest, [...path, i]);
          const x = walk(d.value, [...path, i], depth + 1);
          if (x !== EMPTIED) out.push(x);
        } else {
          const x = walk(el, [...path, i], depth + 1);
          if (x !== EMPTIED) out.push(x);
        }
      });
      if (v.length === 0) leaves.push({ path, value: [] });
      else if (prune && out.length === 0) return EMPTIED;
      return out;
    }
    if (isObject(v)) {
      const out: Record<string, JsonValue> = {};
      for (const k of Object.keys(v)) {
        if (k === '_sd') continue;
        if (k === '...') throw new Malformed();
        const x = walk(v[k] as JsonValue, [...path, k], depth + 1);
        if (x !== EMPTIED) out[k] = x;
      }
      const sd = v._sd;
      if (sd !== undefined) {
        if (!Array.isArray(sd)) throw new Malformed();
        for (const dg of sd) {
          const d = take(dg);
          if (d === undefined) continue;
          const name = d.name;
          if (
            name === undefined ||
            name === '_sd' ||
            name === '...' ||
            Object.hasOwn(out, name) ||
            Object.hasOwn(v, name)
          ) {
            throw new Malformed();
          }
          pathOf.set(d.digest, [...path, name]);
          const x = walk(d.value, [...path, name], depth + 1);
          if (x !== EMPTIED) out[name] = x;
        }
      }
      if (Object.keys(v).length === 0) leaves.push({ path, value: {} });
      else if (prune && depth > 0 && Object.keys(out).length === 0) return EMPTIED;
      return out;
    }
    leaves.push({ path, value: v });
    return v;
  };
  try {
    const out = walk(payload as Record<string, JsonValue>, [], 0) as Record<string, JsonValue>;
    if (pathOf.size !== byDigest.size) return undefined; // an unreferenced disclosure
    delete out._sd_alg;
    return { payload: out, pathOf, leaves: leaves.filter((l) => l.path[0] !== '_sd_alg'), digests: seen.size };
  } catch (e) {
    if (e instanceof Malformed) return undefined;
    throw e;
  }
}
