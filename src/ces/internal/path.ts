/**
 * Claims paths: parsing (arrays and RFC 6901 JSON Pointers), display, and
 * wildcard-aware prefix matching. Internal.
 */
import { InvalidArgumentError } from '../../errors.js';
import { isWellFormed } from '../../internal/bytes.js';
import type { ClaimsPath, PathPattern } from '../types.js';

/** Longest path accepted (also the maximum JSON nesting depth of a record). */
export const MAX_DEPTH = 64;
/** Longest object key accepted, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 1024;

const INDEX = /^(0|[1-9][0-9]*)$/;

function segmentError(name: string, i: number, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`"${name}" segment ${i} ${why}`);
}

/** Validate one segment; `wildcard` allows `null`. */
function checkSegment(s: unknown, name: string, i: number, wildcard: boolean): string | number | null {
  if (typeof s === 'string') {
    if (s.length > MAX_KEY_LENGTH) throw segmentError(name, i, `longer than ${MAX_KEY_LENGTH} characters`);
    if (!isWellFormed(s)) throw segmentError(name, i, 'contains a lone surrogate');
    return s;
  }
  if (typeof s === 'number') {
    if (!Number.isSafeInteger(s) || s < 0) throw segmentError(name, i, 'is not a non-negative integer index');
    return s;
  }
  if (s === null && wildcard) return null;
  throw segmentError(name, i, `expected ${wildcard ? 'string, integer or null' : 'string or integer'}`);
}

/** Parse an RFC 6901 JSON Pointer into segments (digit-only segments become indices). */
function fromPointer(p: string, name: string): (string | number)[] {
  if (p === '') return [];
  if (p[0] !== '/') throw new InvalidArgumentError(`"${name}" JSON Pointer must be empty or start with "/"`);
  return p
    .slice(1)
    .split('/')
    .map((raw, i) => {
      if (/~[^01]|~$/.test(raw)) throw segmentError(name, i, 'has an invalid "~" escape');
      const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return INDEX.test(s) && s.length <= 15 ? Number(s) : s;
    });
}

/** Parse a path (claims path array or JSON Pointer) into a validated claims path. */
export function parsePath(input: unknown, name: string): (string | number)[] {
  return parseAny(input, name, false) as (string | number)[];
}

/** Parse a path pattern (array with optional `null` wildcards, or JSON Pointer with `*` wildcards). */
export function parsePattern(input: unknown, name: string): (string | number | null)[] {
  return parseAny(input, name, true);
}

function parseAny(input: unknown, name: string, wildcard: boolean): (string | number | null)[] {
  let segs: unknown[];
  if (typeof input === 'string') {
    if (!isWellFormed(input)) throw new InvalidArgumentError(`"${name}" contains a lone surrogate`);
    segs = fromPointer(input, name);
    // In a pattern pointer, a `*` segment is the wildcard, as rule texts and messages show it
    // (a literal member named "*" is written in the array form, `['a', '*']`).
    if (wildcard) segs = segs.map((s) => (s === '*' ? null : s));
  } else if (Array.isArray(input)) {
    segs = input;
  } else {
    throw new InvalidArgumentError(`"${name}" expected a claims path array or a JSON Pointer string`);
  }
  if (segs.length > MAX_DEPTH) throw new InvalidArgumentError(`"${name}" is deeper than ${MAX_DEPTH}`);
  return segs.map((s, i) => checkSegment(s, name, i, wildcard));
}

/** Validate a decoded claims path (from a signed encoding): returns undefined when invalid. */
export function isClaimsPath(v: unknown): v is (string | number)[] {
  if (!Array.isArray(v) || v.length > MAX_DEPTH) return false;
  for (const s of v) {
    if (typeof s === 'string') {
      if (s.length > MAX_KEY_LENGTH || !isWellFormed(s)) return false;
    } else if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
      return false;
    }
  }
  return true;
}

/** Display a path or pattern as a JSON Pointer (`*` for a wildcard). For messages only. */
export function pointer(p: PathPattern): string {
  let s = '';
  for (const seg of p) s += `/${seg === null ? '*' : String(seg).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return s;
}

/**
 * Whether pattern segment `q` matches record path segment `s`. `null` (`*`) matches every
 * child of a node: any array index or any object member, whichever the record holds there
 * (earlier builds matched array indices only, so a wildcard rule over an object silently
 * matched nothing: a `never` leaked, a `mandatory` held vacuously). A wildcard now covers
 * every child a container can have, so no rule can fail open on the container's kind.
 * A pattern segment names what the signer pointed at, as a JSON Pointer does
 * (RFC 6901, §4: a reference token is an array index or a member name, whichever the
 * document holds there): the index `n` also matches the object member named by its decimal
 * digits (`/notes/2024` under an object `notes`), and a member name that is a canonical
 * decimal (no leading zero) also matches that array index. A node of a record is either an
 * array or an object, so a segment never matches two different things in one record, and
 * a rule never silently matches nothing because a pointer read digits as an index.
 */
function segmentMatches(q: string | number | null, s: string | number): boolean {
  if (q === null) return true;
  if (q === s) return true;
  if (typeof q === 'number') return typeof s === 'string' && s === String(q);
  return typeof s === 'number' && q === String(s);
}

/** True when `pattern` matches the first `pattern.length` segments of `path`. */
export function patternIsPrefix(pattern: PathPattern, path: ClaimsPath): boolean {
  if (pattern.length > path.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    if (!segmentMatches(pattern[i] as string | number | null, path[i] as string | number)) return false;
  }
  return true;
}

/** True when `path` is a (non-strict) prefix of `pattern`'s matches, i.e. the pattern may point inside `path`. */
export function pathIsPrefixOfPattern(path: ClaimsPath, pattern: PathPattern): boolean {
  if (path.length > pattern.length) return false;
  for (let i = 0; i < path.length; i++) {
    if (!segmentMatches(pattern[i] as string | number | null, path[i] as string | number)) return false;
  }
  return true;
}

/** True when `a` is a prefix of `b` (or equal). */
export function isPrefix(a: ClaimsPath, b: ClaimsPath): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Rule relevance: submessage `path` (whose value is a container iff `container`) falls
 * under `pattern` when the pattern is a prefix of it, or when it is a container
 * submessage (a unit) that the pattern points into.
 */
export function relevant(pattern: PathPattern, path: ClaimsPath, container: boolean): boolean {
  return patternIsPrefix(pattern, path) || (container && pathIsPrefixOfPattern(path, pattern));
}
