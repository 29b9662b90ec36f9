/**
 * Attribute names: the unquoted character set, quoting, and the reserved
 * bit-attribute labels that numeric comparisons compile to. Internal.
 *
 * `#` is reserved: no attribute name (quoted or not) may contain it, so a label
 * `level#u32[3]=1` can only come from compiling `level = ...` (key side) or a
 * comparison (policy side), never from a user-chosen attribute name.
 */
import { isWellFormed } from '../../internal/bytes.js';
import { LIMITS } from '../ast.js';

/** Keywords (matched case-insensitively); names equal to one must be quoted. */
export const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'of']);

/** True for the characters of an unquoted name: ASCII letters, digits, `_ - . : /`. */
export function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x5f || // _
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x3a || // :
    c === 0x2f // /
  );
}

/** True for a non-empty run of ASCII digits. */
export function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/**
 * Why `name` is not a valid attribute name, or `null` when it is: non-empty,
 * at most {@link LIMITS.maxNameLength} code units, no `#`, no control
 * characters, no lone surrogates.
 */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'attribute name is empty';
  if (name.length > LIMITS.maxNameLength) return `attribute name longer than ${LIMITS.maxNameLength} characters`;
  if (name.includes('#')) return "attribute names cannot contain '#' (reserved for numeric bit attributes)";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'attribute names cannot contain control characters';
  if (!isWellFormed(name)) return 'attribute name contains a lone surrogate';
  return null;
}

/** True when `name` can be written without quotes. */
export function isBareName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false;
  return !KEYWORDS.has(name.toLowerCase()) && !isDigits(name);
}

/** The canonical spelling of an attribute name: bare when possible, else a quoted string. */
export function formatName(name: string): string {
  if (isBareName(name)) return name;
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The reserved label of bit `index` (0 = least significant) of the `bits`-bit attribute `name`. */
export function bitLabel(name: string, bits: number, index: number, bit: 0 | 1): string {
  return `${name}#u${bits}[${index}]=${bit}`;
}

/** A parsed bit label. */
export interface BitLabel {
  readonly name: string;
  readonly bits: number;
  readonly index: number;
  readonly bit: 0 | 1;
}

const BIT_LABEL = /^([^#]*)#u([1-9][0-9]?)\[(0|[1-9][0-9]?)\]=([01])$/;

/** Parse a well-formed bit label (canonical numbers, index < bits <= 64, valid name), else `null`. */
export function parseBitLabel(label: string): BitLabel | null {
  const m = BIT_LABEL.exec(label);
  if (m === null) return null;
  const name = m[1] as string;
  const bits = Number(m[2]);
  const index = Number(m[3]);
  if (bits > LIMITS.maxBits || index >= bits || nameProblem(name) !== null) return null;
  return { name, bits, index, bit: m[4] === '1' ? 1 : 0 };
}

/** The canonical spelling of a leaf label: a name, or a bit label with a (possibly quoted) name. */
export function formatLabel(label: string): string {
  const b = parseBitLabel(label);
  if (b === null) return formatName(label);
  return `${formatName(b.name)}#u${b.bits}[${b.index}]=${b.bit}`;
}
