/**
 * Records as submessages (Steinfeld–Bull–Zheng §3: a document is a sequence of
 * submessages): splitting a JSON record into leaves and signer-chosen units,
 * resolving a holder's selection, and reassembling the disclosed JSON. Internal.
 */
import { InvalidArgumentError } from '../../errors.js';
import { describe } from '../../internal/assert.js';
import { isWellFormed } from '../../internal/bytes.js';
import { canonicalBytes } from '../../internal/jcs.js';
import type { ClaimsPath, DisclosedClaim, JsonValue, PathPattern } from '../types.js';
import { MAX_DEPTH, MAX_KEY_LENGTH, parsePath, patternIsPrefix, pointer } from './path.js';

/** Most submessages in one record (decoys included). */
export const MAX_SUBMESSAGES = 65536;

/** One submessage: its path, value and the canonical bytes of `[path, value]` that are committed. */
export interface Submessage {
  readonly path: (string | number)[];
  readonly value: JsonValue;
  /** JCS (RFC 8785) UTF-8 of `[path, value]`. */
  readonly bytes: Uint8Array;
  /** True when the value is an object or array (an empty container or a unit). */
  readonly container: boolean;
}

function isContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/** Check that `v` is plain JSON data (throws InvalidArgumentError naming the path). */
function checkJson(v: unknown, path: (string | number)[]): void {
  const where = () => `"record" at ${pointer(path) || '(root)'}`;
  switch (typeof v) {
    case 'string':
      if (!isWellFormed(v)) throw new InvalidArgumentError(`${where()}: string contains a lone surrogate`);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`${where()}: ${v} is not a JSON number`);
      return;
    case 'object': {
      if (v === null) return;
      if (path.length >= MAX_DEPTH) throw new InvalidArgumentError(`"record" is nested deeper than ${MAX_DEPTH}`);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          if (!(i in v)) throw new InvalidArgumentError(`${where()}: sparse array`);
          checkJson(v[i], [...path, i]);
        }
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new InvalidArgumentError(`${where()}: expected plain object or array, got ${describe(v)}`);
      }
      for (const k of Object.keys(v)) {
        if (k.length > MAX_KEY_LENGTH) throw new InvalidArgumentError(`${where()}: key longer than ${MAX_KEY_LENGTH}`);
        if (!isWellFormed(k)) throw new InvalidArgumentError(`${where()}: key contains a lone surrogate`);
        checkJson((v as Record<string, unknown>)[k], [...path, k]);
      }
      return;
    }
    default:
      throw new InvalidArgumentError(`${where()}: ${typeof v} is not JSON data`);
  }
}

/**
 * Split `record` into submessages: every primitive and every empty object or array is
 * one submessage; a subtree whose path matches one of `units` is one submessage.
 * Order: depth-first, object members in `Object.keys` order.
 */
export function splitRecord(record: unknown, units: readonly PathPattern[]): Submessage[] {
  checkJson(record, []);
  const out: Submessage[] = [];
  const walk = (v: JsonValue, path: (string | number)[]): void => {
    const container = isContainer(v);
    let leaf = !container;
    if (container) {
      const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0;
      leaf = empty || units.some((u) => u.length === path.length && patternIsPrefix(u, path));
    }
    if (leaf) {
      if (out.length >= MAX_SUBMESSAGES) {
        throw new InvalidArgumentError(`"record" has more than ${MAX_SUBMESSAGES} submessages`);
      }
      out.push({ path, value: v, bytes: canonicalBytes([path, v]), container });
      return;
    }
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i] as JsonValue, [...path, i]);
    else for (const k of Object.keys(v as object)) walk((v as Record<string, JsonValue>)[k] as JsonValue, [...path, k]);
  };
  walk(record as JsonValue, []);
  return out;
}

/** Parse one selection entry; JSON Pointer segments are resolved against the record's shape. */
function selectionPath(record: unknown, input: unknown, name: string): (string | number)[] {
  const p = parsePath(input, name);
  if (typeof input !== 'string') return p;
  let node: unknown = record;
  return p.map((seg) => {
    const s = Array.isArray(node) || typeof seg === 'string' ? seg : String(seg);
    node = isContainer(node) ? (node as Record<string | number, unknown>)[s] : undefined;
    return s;
  });
}

/**
 * The indices (into `subs`) selected by `selection`: a selected path discloses every
 * submessage under it. Selecting inside a unit, or a path with no submessage, is refused.
 */
export function resolveSelection(record: unknown, subs: readonly Submessage[], selection: unknown): Set<number> {
  if (!Array.isArray(selection)) throw new InvalidArgumentError(`"selection" expected an array of paths`);
  // Index every prefix of every submessage path: O(total path length), then O(1) per lookup.
  const under = new Map<string, number[]>();
  const exact = new Map<string, number>();
  subs.forEach((s, j) => {
    for (let l = 0; l <= s.path.length; l++) {
      const k = JSON.stringify(s.path.slice(0, l));
      const a = under.get(k);
      if (a === undefined) under.set(k, [j]);
      else a.push(j);
    }
    exact.set(JSON.stringify(s.path), j);
  });
  const chosen = new Set<number>();
  selection.forEach((input, i) => {
    const sel = selectionPath(record, input, `selection[${i}]`);
    for (let l = 0; l < sel.length; l++) {
      const j = exact.get(JSON.stringify(sel.slice(0, l)));
      if (j !== undefined) {
        throw new InvalidArgumentError(
          `"selection[${i}]" (${pointer(sel)}) points inside ${pointer((subs[j] as Submessage).path) || '(root)'}, which is signed as one unit`,
        );
      }
    }
    const hit = under.get(JSON.stringify(sel));
    if (hit === undefined)
      throw new InvalidArgumentError(`"selection[${i}]" (${pointer(sel) || '(root)'}) is not in the record`);
    for (const j of hit) chosen.add(j);
  });
  return chosen;
}

type Node = { k: 'leaf'; v: JsonValue } | { k: 'obj'; c: Map<string, Node> } | { k: 'arr'; c: Map<number, Node> };

/**
 * Rebuild the disclosed JSON: hidden parts are absent (no placeholders); array
 * elements keep their original relative order and are compacted (the claims keep
 * the original indices). Returns `null` on structural conflicts (duplicate or nested
 * claims, a key used as both object member and array index) and `undefined` when
 * nothing is disclosed.
 */
export function assemble(claims: readonly DisclosedClaim[]): { value: JsonValue | undefined } | null {
  let root: Node | undefined;
  for (const { path, value } of claims) {
    if (path.length === 0) {
      if (root !== undefined) return null;
      root = { k: 'leaf', v: value };
      continue;
    }
    if (root === undefined)
      root = typeof path[0] === 'number' ? { k: 'arr', c: new Map() } : { k: 'obj', c: new Map() };
    let node: Node = root;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i] as string | number;
      if (node.k === 'leaf') return null;
      if ((node.k === 'arr') !== (typeof seg === 'number')) return null;
      const map = node.c as Map<string | number, Node>;
      const last = i === path.length - 1;
      let next = map.get(seg);
      if (last) {
        if (next !== undefined) return null;
        map.set(seg, { k: 'leaf', v: value });
        break;
      }
      if (next === undefined) {
        next = typeof path[i + 1] === 'number' ? { k: 'arr', c: new Map() } : { k: 'obj', c: new Map() };
        map.set(seg, next);
      }
      node = next;
    }
  }
  const build = (n: Node): JsonValue => {
    if (n.k === 'leaf') return n.v;
    if (n.k === 'arr') return [...n.c.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => build(c));
    const o: Record<string, JsonValue> = {};
    for (const [key, c] of n.c) {
      Object.defineProperty(o, key, { value: build(c), enumerable: true, writable: true, configurable: true });
    }
    return o;
  };
  return { value: root === undefined ? undefined : build(root) };
}

/** Compare claims paths for sorting disclosed claims in document order. */
export function comparePaths(a: ClaimsPath, b: ClaimsPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}
