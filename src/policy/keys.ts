/**
 * Key attributes: plain names and numeric assignments `level = 3`, expanded to
 * the bit attributes that compiled comparisons test (Bethencourt–Sahai–Waters
 * 2007 §4.3: an n-bit value v becomes the n labels "bit i of the attribute is v_i").
 */
import { InvalidArgumentError, PolicySyntaxError } from '../errors.js';
import { assertInteger, assertObject, describe } from '../internal/assert.js';
import { LIMITS } from './ast.js';
import { Lexer } from './internal/lexer.js';
import { bitLabel, isDigits, nameProblem, parseBitLabel } from './internal/names.js';
import { maxValue } from './internal/numeric.js';

/** Options of {@link expandKeyAttributes}. */
export interface KeyAttributeOptions {
  /** Width of numeric assignments without a `#uN` suffix. Default 32. */
  bits?: number;
}

/** Largest number of entries accepted in one attribute list. */
const MAX_ENTRIES = 65_536;

function show(entry: string): string {
  return JSON.stringify(entry.length > 64 ? `${entry.slice(0, 64)}…` : entry);
}

class KeySet {
  readonly labels = new Set<string>();
  /** numeric attribute name -> value (one value per name, whatever the widths). */
  private readonly values = new Map<string, bigint>();
  /** `name#uN[i]` -> bit, for directly given bit labels. */
  private readonly bits = new Map<string, 0 | 1>();

  constructor(private readonly what: string) {}

  numeric(name: string, value: bigint, width: number, where: string): void {
    const prev = this.values.get(name);
    if (prev !== undefined && prev !== value) {
      throw new InvalidArgumentError(
        `"${this.what}" assigns two different values to the numeric attribute ${show(name)} (${where})`,
      );
    }
    this.values.set(name, value);
    for (let i = 0; i < width; i++) this.bit(name, width, i, ((value >> BigInt(i)) & 1n) === 1n ? 1 : 0, where);
  }

  bit(name: string, width: number, index: number, b: 0 | 1, where: string): void {
    const key = `${name}#u${width}[${index}]`;
    const prev = this.bits.get(key);
    if (prev !== undefined && prev !== b) {
      throw new InvalidArgumentError(
        `"${this.what}" holds conflicting values for bit ${index} of ${show(name)} (${where})`,
      );
    }
    this.bits.set(key, b);
    this.labels.add(bitLabel(name, width, index, b));
  }
}

/**
 * Collect key attributes into a set of leaf labels. `allowBitLabels` lets
 * already-expanded bit labels through (checking tools only, never key issuance).
 * @internal
 */
export function collectKeyAttributes(
  attributes: Iterable<string>,
  what: string,
  bits: number,
  allowBitLabels: boolean,
): Set<string> {
  if (
    typeof attributes !== 'object' ||
    attributes === null ||
    typeof (attributes as Iterable<string>)[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidArgumentError(`"${what}" expected an iterable of strings, got ${describe(attributes)}`);
  }
  const set = new KeySet(what);
  let i = 0;
  for (const entry of attributes) {
    const where = `${what}[${i}]`;
    if (++i > MAX_ENTRIES) throw new InvalidArgumentError(`"${what}" has more than ${MAX_ENTRIES} entries`);
    if (typeof entry !== 'string') throw new InvalidArgumentError(`"${where}" expected string, got ${describe(entry)}`);
    if (entry.length > LIMITS.maxNameLength + 64) {
      throw new InvalidArgumentError(`"${where}" is longer than ${LIMITS.maxNameLength + 64} characters`);
    }
    const direct = parseBitLabel(entry);
    if (direct !== null) {
      if (!allowBitLabels) {
        throw new InvalidArgumentError(
          `"${where}" ${show(entry)} is a reserved bit attribute: write 'name = value' instead`,
        );
      }
      set.bit(direct.name, direct.bits, direct.index, direct.bit, where);
      continue;
    }
    if (!entry.startsWith('"') && !/[=<>#]/.test(entry)) {
      const problem = nameProblem(entry);
      if (problem !== null) throw new InvalidArgumentError(`"${where}" ${show(entry)}: ${problem}`);
      if (entry.trim() !== entry) {
        throw new InvalidArgumentError(
          `"${where}" ${show(entry)} has leading or trailing spaces: quote it to keep them`,
        );
      }
      set.labels.add(entry);
      continue;
    }
    parseStructured(entry, where, bits, allowBitLabels, set);
  }
  return set.labels;
}

/** A quoted name, `name = value`, `name#uN = value`, or (if allowed) a quoted-name bit label. */
function parseStructured(entry: string, where: string, bits: number, allowBitLabels: boolean, set: KeySet): void {
  function invalid(reason: string): never {
    throw new InvalidArgumentError(
      `"${where}" ${show(entry)} is not a valid key attribute (a name, "quoted name" or name = integer): ${reason}`,
    );
  }
  try {
    const lx = new Lexer(entry);
    const t0 = lx.next();
    if (t0.t !== 'name') invalid('expected an attribute name');
    const t1 = lx.next();
    if (t1.t === 'eof') {
      if (t0.bit !== undefined) {
        if (!allowBitLabels) invalid('bit attributes are reserved');
        set.bit(t0.name, t0.width as number, t0.bit.index, t0.bit.value, where);
        return;
      }
      if (t0.quoted && t0.width === undefined) {
        set.labels.add(t0.name);
        return;
      }
      invalid("expected '=' and an integer");
    }
    if (t1.t !== 'op' || t1.op !== '=' || t0.bit !== undefined) invalid("expected '=' and an integer");
    const t2 = lx.next();
    if (t2.t !== 'name' || t2.quoted || t2.width !== undefined || !isDigits(t2.name)) {
      invalid("expected a non-negative integer after '='");
    }
    if (lx.next().t !== 'eof') invalid('unexpected text after the integer');
    const width = t0.width ?? bits;
    const digits = t2.name.replace(/^0+(?=.)/, '');
    const value = digits.length > 20 ? maxValue(width) + 1n : BigInt(digits);
    if (value > maxValue(width)) invalid(`integer out of range for a ${width}-bit attribute`);
    set.numeric(t0.name, value, width, where);
  } catch (e) {
    if (e instanceof PolicySyntaxError) invalid(e.message);
    throw e;
  }
}

/** Resolve the `bits` option. @internal */
export function keyBits(options: unknown): number {
  if (options === undefined) return LIMITS.bits;
  assertObject(options, 'options');
  const b = options.bits;
  if (b === undefined) return LIMITS.bits;
  assertInteger(b, 'options.bits', 1, LIMITS.maxBits);
  return b;
}

/**
 * Expand key attributes as an attribute authority writes them into the leaf
 * labels a key holds: plain names (`dept:cardiology`, or `"Dr. Smith"` quoted
 * with policy-string escapes) pass through; numeric assignments `level = 3`,
 * `year#u16 = 2024` (any spacing) become one reserved bit label per bit
 * (`level#u32[0]=1`, `level#u32[1]=1`, `level#u32[2]=0`, ...). An entry containing
 * `=`, `<`, `>` or `#` outside quotes is always read as a numeric assignment. Bit labels
 * themselves are refused, so no user-chosen name can forge a bit attribute.
 *
 * @param attributes - the key's attributes
 * @param options - `bits`: width of assignments without `#uN` (default 32)
 * @returns the labels, deduplicated and sorted
 * @throws {InvalidArgumentError} naming the entry: not a string, invalid name, `#` in a name,
 *   malformed or out-of-range assignment, two different values for one numeric attribute
 * @example
 * ```ts
 * import { expandKeyAttributes } from 'bpds/policy';
 * expandKeyAttributes(['role/doctor', 'clearance#u2 = 2']);
 * // ['clearance#u2[0]=0', 'clearance#u2[1]=1', 'role/doctor']
 * ```
 */
export function expandKeyAttributes(attributes: Iterable<string>, options?: KeyAttributeOptions): string[] {
  const labels = collectKeyAttributes(attributes, 'attributes', keyBits(options), false);
  return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
