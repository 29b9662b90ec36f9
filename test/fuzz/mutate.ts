/**
 * Mutation operators of the fuzz harness. Every input starts from a valid encoding
 * (the corpus) and gets one to four stacked mutations: for bytes, bit flips, byte
 * substitutions with boundary values, truncations, extensions, insertions,
 * deletions, duplicated segments, splices with another valid encoding, chunk swaps
 * and "huge length" rewrites of every plausible big-endian length field; for text,
 * character flips, insertions and deletions, splices, JSON-aware mutations (member
 * removal, duplicate keys, type changes, huge and non-integer numbers, deep nesting,
 * string edits) and, for policy text, token-level edits.
 */
import type { Rng } from './rng.js';

const BOUNDARY_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x20, 0x30];
const HUGE_U32 = [0xffffffff, 0x7fffffff, 0x80000000, 0x10000000, 0x01000000, 0x00010000, 0xfffffffe];

/** The mutation names, as recorded per input. */
export type ByteOp =
  | 'bitflip'
  | 'byte'
  | 'truncate'
  | 'extend'
  | 'insert'
  | 'delete'
  | 'duplicate'
  | 'splice'
  | 'length'
  | 'chunk'
  | 'zero';

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Offsets whose big-endian u32 value is a plausible length (1..remaining bytes). */
function lengthFields(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) {
    const v =
      ((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number);
    if (v > 0 && v <= b.length - i - 4) out.push(i);
  }
  return out;
}

function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

/** Apply one byte-level mutation. `other` is another valid encoding for splices. */
export function mutateBytesOnce(rng: Rng, input: Uint8Array, other: Uint8Array): [Uint8Array, ByteOp] {
  const b = input.slice();
  const n = b.length;
  const op = rng.int(11);
  switch (op) {
    case 0: {
      if (n === 0) return [rng.bytes(rng.range(1, 8)), 'extend'];
      const k = rng.small(8);
      for (let i = 0; i < k; i++) {
        const at = rng.int(n);
        b[at] = (b[at] as number) ^ (1 << rng.int(8));
      }
      return [b, 'bitflip'];
    }
    case 1: {
      if (n === 0) return [rng.bytes(1), 'extend'];
      const k = rng.small(4);
      for (let i = 0; i < k; i++) b[rng.int(n)] = rng.chance(0.5) ? rng.pick(BOUNDARY_BYTES) : rng.int(256);
      return [b, 'byte'];
    }
    case 2:
      return [b.slice(0, rng.chance(0.5) ? rng.int(n) : Math.max(0, n - rng.small(40))), 'truncate'];
    case 3: {
      const k = rng.chance(0.8) ? rng.small(40) : rng.range(1, 4096);
      const tail = rng.chance(0.5) ? rng.bytes(k) : new Uint8Array(k).fill(rng.pick(BOUNDARY_BYTES));
      return [concat(b, tail), 'extend'];
    }
    case 4: {
      const at = rng.int(n + 1);
      return [concat(b.subarray(0, at), rng.bytes(rng.small(16)), b.subarray(at)), 'insert'];
    }
    case 5: {
      const at = rng.int(n + 1);
      const k = rng.chance(0.5) ? rng.small(8) : rng.int(n - at + 1);
      return [concat(b.subarray(0, at), b.subarray(Math.min(n, at + k))), 'delete'];
    }
    case 6: {
      const at = rng.int(n + 1);
      const len = Math.min(n - at, rng.chance(0.5) ? rng.range(1, 96) : rng.range(1, Math.max(1, n)));
      const seg = b.subarray(at, at + len);
      const copies = rng.small(4);
      const parts: Uint8Array[] = [b.subarray(0, at + len)];
      for (let i = 0; i < copies; i++) parts.push(seg);
      parts.push(b.subarray(at + len));
      return [concat(...parts), 'duplicate'];
    }
    case 7: {
      const cutA = rng.int(n + 1);
      const cutB = rng.int(other.length + 1);
      return [concat(b.subarray(0, cutA), other.subarray(cutB)), 'splice'];
    }
    case 8: {
      const fields = lengthFields(b);
      if (fields.length === 0 || n < 4) {
        if (n >= 4) writeU32(b, rng.int(n - 3), rng.pick(HUGE_U32));
        return [b, 'length'];
      }
      const at = rng.pick(fields);
      const v =
        ((b[at] as number) << 24) |
        ((b[at + 1] as number) << 16) |
        ((b[at + 2] as number) << 8) |
        (b[at + 3] as number);
      const choices = [rng.pick(HUGE_U32), v + 1, v - 1, 0, v * 2, n, n + 1, v + 32, v - 32];
      writeU32(b, at, rng.pick(choices) >>> 0);
      return [b, 'length'];
    }
    case 9: {
      // Swap or copy a 32-byte chunk (a scalar or G1 point) within the encoding or from `other`.
      if (n < 32) return [b.slice(0, rng.int(n + 1)), 'truncate'];
      const to = rng.int(n - 31);
      const src = rng.chance(0.5) || other.length < 32 ? b.slice() : other;
      const from = rng.int(src.length - 31);
      b.set(src.subarray(from, from + 32), to);
      return [b, 'chunk'];
    }
    default: {
      if (n === 0) return [b, 'zero'];
      const at = rng.int(n);
      const len = Math.min(n - at, rng.small(64));
      b.fill(rng.chance(0.5) ? 0 : 0xff, at, at + len);
      return [b, 'zero'];
    }
  }
}

/** One to four stacked byte mutations; guaranteed to differ from `input` when possible. */
export function mutateBytes(rng: Rng, input: Uint8Array, others: readonly Uint8Array[]): Uint8Array {
  let b = input;
  const k = rng.small(4);
  for (let i = 0; i < k; i++) [b] = mutateBytesOnce(rng, b, others.length > 0 ? rng.pick(others) : input);
  return b;
}

// ---------------------------------------------------------------- text

const SPECIAL_CHARS = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  ' ',
  '\n',
  '\r',
  '\t',
  '\0',
  '0',
  '9',
  '-',
  '+',
  '.',
  'e',
  'E',
  'A',
  'z',
  '_',
  '=',
  '/',
  '(',
  ')',
  '<',
  '>',
  '#',
  '\u00e9',
  '\ud800',
  '\udc00',
  '\u2028',
  '\ufeff',
  '\u{1f600}',
];

function randomChar(rng: Rng): string {
  if (rng.chance(0.6)) return rng.pick(SPECIAL_CHARS);
  if (rng.chance(0.8)) return String.fromCharCode(rng.range(0x20, 0x7e));
  return String.fromCharCode(rng.int(0x10000));
}

/** One character-level mutation of a string. */
export function mutateTextOnce(rng: Rng, s: string, other: string): string {
  const n = s.length;
  switch (rng.int(9)) {
    case 0:
    case 1: {
      if (n === 0) return randomChar(rng);
      const at = rng.int(n);
      return s.slice(0, at) + randomChar(rng) + s.slice(at + 1);
    }
    case 2: {
      // A neighbouring character (e.g. a base64 digit one off: non-canonical padding bits).
      if (n === 0) return s;
      const at = rng.int(n);
      const c = s.charCodeAt(at) + (rng.chance(0.5) ? 1 : -1);
      return s.slice(0, at) + String.fromCharCode(c & 0xffff) + s.slice(at + 1);
    }
    case 3: {
      const at = rng.int(n + 1);
      let ins = '';
      for (let i = rng.small(6); i > 0; i--) ins += randomChar(rng);
      return s.slice(0, at) + ins + s.slice(at);
    }
    case 4: {
      const at = rng.int(n + 1);
      return s.slice(0, at) + s.slice(at + rng.small(12));
    }
    case 5:
      return s.slice(0, rng.int(n + 1));
    case 6: {
      const at = rng.int(n + 1);
      const len = rng.range(1, Math.max(1, Math.min(200, n - at)));
      const seg = s.slice(at, at + len);
      return s.slice(0, at + len) + seg.repeat(rng.small(4)) + s.slice(at + len);
    }
    case 7:
      return s.slice(0, rng.int(n + 1)) + other.slice(rng.int(other.length + 1));
    default:
      return s + (rng.chance(0.5) ? randomChar(rng).repeat(rng.range(1, 64)) : other);
  }
}

/** One to four stacked character mutations. */
export function mutateText(rng: Rng, s: string, others: readonly string[]): string {
  let t = s;
  for (let k = rng.small(4); k > 0; k--) t = mutateTextOnce(rng, t, others.length > 0 ? rng.pick(others) : s);
  return t;
}

// ---------------------------------------------------------------- JSON

type J = null | boolean | number | string | J[] | { [k: string]: J } | RawJson | DupPair;

/** A JSON fragment written verbatim (huge numbers, deep nesting). */
class RawJson {
  constructor(readonly text: string) {}
}

/** An object member written twice with the same name. */
class DupPair {
  constructor(
    readonly first: J,
    readonly second: J,
  ) {}
}

const HUGE_NUMBERS = [
  '9007199254740993',
  '-9007199254740993',
  '1e309',
  '-1e309',
  '123456789012345678901234567890',
  '1.5',
  '1e2',
  '-0',
  '0.0000001',
  '4294967296',
  '18446744073709551616',
  '1E400',
  '01',
  '1.',
  '.5',
  '0x10',
  'NaN',
  'Infinity',
];

function write(v: J): string {
  if (v instanceof RawJson) return v.text;
  if (v instanceof DupPair) return write(v.first);
  if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) =>
        x instanceof DupPair
          ? `${JSON.stringify(k)}:${write(x.first)},${JSON.stringify(k)}:${write(x.second)}`
          : `${JSON.stringify(k)}:${write(x)}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Every container/value path in a parsed JSON value. */
function paths(v: J, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      paths(x, [...at, i], out);
    });
  } else if (v !== null && typeof v === 'object' && !(v instanceof RawJson)) {
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  }
  return out;
}

function get(v: J, path: (string | number)[]): J {
  let cur = v;
  for (const p of path) cur = (cur as Record<string | number, J>)[p] as J;
  return cur;
}

function replacement(rng: Rng, old: J, donor: J): J {
  switch (rng.int(12)) {
    case 0:
      return new RawJson(rng.pick(HUGE_NUMBERS));
    case 1:
      return null;
    case 2:
      return rng.chance(0.5);
    case 3:
      return typeof old === 'string' ? `${old}${randomChar(rng)}` : '';
    case 4:
      return typeof old === 'string' ? old.slice(0, rng.int(old.length + 1)) : 0;
    case 5:
      return typeof old === 'number' ? old + (rng.chance(0.5) ? 1 : -1) : -1;
    case 6:
      return [old];
    case 7:
      return { v: old };
    case 8:
      return 'x'.repeat(rng.pick([0, 1, 255, 256, 1025, 70000]));
    case 9:
      return new RawJson('['.repeat(rng.range(2, 3000)) + ']'.repeat(rng.range(0, 3000)));
    case 10:
      return typeof old === 'string' && old.length > 0
        ? old.slice(0, rng.int(old.length)) + randomChar(rng) + old.slice(rng.int(old.length) + 1)
        : 'A';
    default:
      return donor;
  }
}

/**
 * One JSON-aware mutation of `text` (which must parse with `JSON.parse`); `donorText`
 * is another valid document whose values may be transplanted. Returns text that may
 * hold duplicate members, huge numbers or deep nesting.
 */
export function mutateJson(rng: Rng, text: string, donorText: string): string {
  let root: J;
  let donor: J;
  try {
    root = JSON.parse(text) as J;
    donor = JSON.parse(donorText) as J;
  } catch {
    return mutateTextOnce(rng, text, donorText);
  }
  const donorPaths = paths(donor);
  const donorValue = get(donor, rng.pick(donorPaths));
  const all = paths(root);
  const target = rng.pick(all);
  if (target.length === 0) {
    // The root itself.
    switch (rng.int(4)) {
      case 0:
        return `[${text}]`;
      case 1:
        return `${text}${text}`;
      case 2:
        return `${text} `;
      default:
        return write(replacement(rng, root, donorValue));
    }
  }
  const parentPath = target.slice(0, -1);
  const key = target[target.length - 1] as string | number;
  const parent = get(root, parentPath) as Record<string | number, J> | J[];
  const op = rng.int(6);
  if (Array.isArray(parent)) {
    const i = key as number;
    if (op === 0) parent.splice(i, 1);
    else if (op === 1) parent.splice(i, 0, parent[i] as J);
    else if (op === 2) parent.push(donorValue);
    else parent[i] = replacement(rng, parent[i] as J, donorValue);
    return write(root);
  }
  const obj = parent as Record<string, J>;
  const k = key as string;
  if (op === 0) {
    delete obj[k];
    return write(root);
  }
  if (op === 1) {
    // Duplicate member: the same key twice, with the original or a new value second.
    const first = obj[k] as J;
    obj[k] = new DupPair(first, rng.chance(0.5) ? first : replacement(rng, first, donorValue));
    return write(root);
  }
  if (op === 2) {
    obj[rng.chance(0.5) ? `${k}x` : rng.pick(['__proto__', 'constructor', '', 'v', 'sig', k.toUpperCase()])] =
      donorValue;
    return write(root);
  }
  if (op === 3) {
    // Reorder members (canonical formats must refuse or re-sort).
    const entries = Object.entries(obj).reverse();
    for (const kk of Object.keys(obj)) delete obj[kk];
    for (const [kk, x] of entries) obj[kk] = x;
    return write(root);
  }
  obj[k] = replacement(rng, obj[k] as J, donorValue);
  return write(root);
}

// ---------------------------------------------------------------- policy text

const POLICY_TOKENS = [
  'and',
  'or',
  'not',
  'of',
  '(',
  ')',
  ',',
  ' ',
  '"',
  '<',
  '<=',
  '>',
  '>=',
  '=',
  '0',
  '1',
  '2',
  '255',
  '256',
  '4294967296',
  '18446744073709551616',
  '-1',
  'a',
  'b',
  'x:y',
  'doctor',
  'age',
  '2 of (a, b, c)',
  '((((((((',
  '))))))))',
];

/** One token-level mutation of policy text. */
export function mutatePolicy(rng: Rng, s: string, other: string): string {
  const op = rng.int(5);
  if (op === 0) {
    const at = rng.int(s.length + 1);
    return `${s.slice(0, at)} ${rng.pick(POLICY_TOKENS)} ${s.slice(at)}`;
  }
  if (op === 1) return `(${s}) ${rng.pick(['and', 'or'])} (${other})`;
  if (op === 2) {
    const depth = rng.pick([10, 100, 300, 1000, 5000]);
    return `${'('.repeat(depth)}${s}${')'.repeat(rng.chance(0.8) ? depth : rng.int(depth))}`;
  }
  if (op === 3) {
    const n = rng.pick([2, 10, 100, 300, 2000]);
    const leaves = Array.from({ length: n }, (_, i) => `a${i}`).join(', ');
    return `${rng.pick([1, 2, n - 1, n, n + 1, 4294967297])} of (${leaves})`;
  }
  return s.replace(/\d+/, rng.pick(['0', '4294967295', '18446744073709551616', '-1', '1e9', '00']));
}
