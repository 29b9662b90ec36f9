/**
 * Numeric comparisons compiled to monotone gates over bit attributes, after
 * Bethencourt, Sahai, Waters, "Ciphertext-Policy Attribute-Based Encryption",
 * IEEE S&P 2007, §4.3 ("Numerical attributes"): an n-bit integer attribute `a`
 * is represented on the key side by n labels "bit i of a is 0/1", and
 * `a >= c`, `a <= c`, `a = c` become AND/OR trees over those labels
 * (at most n leaves each). `a < c` is `a <= c-1` and `a > c` is `a >= c+1`.
 * Internal.
 */
import { type CmpOp, mkAnd, mkAttr, mkOr, type Policy } from '../ast.js';
import { bitLabel } from './names.js';

/** A comparison normalized to one of four shapes. `any` means "holds some value of this width". */
export type NormalCmp =
  | { readonly kind: 'ge' | 'le' | 'eq'; readonly value: bigint }
  | { readonly kind: 'any'; readonly value: 0n };

/** 2^bits - 1. */
export function maxValue(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

/**
 * Normalize `x op value` over `bits` bits; `null` when no value satisfies it
 * (`x < 0`, `x > 2^bits - 1`). Assumes 0 <= value <= maxValue(bits).
 */
export function normalizeCmp(op: CmpOp, value: bigint, bits: number): NormalCmp | null {
  const max = maxValue(bits);
  let kind: 'ge' | 'le' | 'eq';
  let c = value;
  switch (op) {
    case '<':
      if (c === 0n) return null;
      kind = 'le';
      c -= 1n;
      break;
    case '>':
      if (c === max) return null;
      kind = 'ge';
      c += 1n;
      break;
    case '<=':
      kind = 'le';
      break;
    case '>=':
      kind = 'ge';
      break;
    default:
      kind = 'eq';
  }
  if ((kind === 'ge' && c === 0n) || (kind === 'le' && c === max)) return { kind: 'any', value: 0n };
  if ((kind === 'ge' && c === max) || (kind === 'le' && c === 0n)) return { kind: 'eq', value: c };
  return { kind, value: c };
}

function bitOf(c: bigint, i: number): 0 | 1 {
  return ((c >> BigInt(i)) & 1n) === 1n ? 1 : 0;
}

/** Index of the lowest bit of `c` equal to `b` (c has such a bit below `bits`). */
function lowest(c: bigint, b: 0 | 1, bits: number): number {
  for (let i = 0; i < bits; i++) if (bitOf(c, i) === b) return i;
  return bits;
}

/** Number of bit leaves the comparison compiles to (0 if it is never true). */
export function cmpLeafCount(op: CmpOp, value: bigint, bits: number): number {
  const n = normalizeCmp(op, value, bits);
  if (n === null) return 0;
  switch (n.kind) {
    case 'any':
      return 2;
    case 'eq':
      return bits;
    case 'ge':
      return bits - lowest(n.value, 1, bits);
    default:
      return bits - lowest(n.value, 0, bits);
  }
}

/**
 * Compile `name op value` (over `bits` bits) into a monotone tree of bit labels.
 * BSW07 §4.3: for `x >= c`, scanning from the lowest set bit j of c upwards,
 * GE_j = [x_j = 1] and GE_i = [x_i = 1] AND GE_{i-1} when c_i = 1, [x_i = 1] OR GE_{i-1}
 * when c_i = 0; `x <= c` is the mirror image over the zero bits of c; `x = c`
 * is the AND of all bits; "any value" is `[x_0 = 0] OR [x_0 = 1]`.
 * Throws a plain Error for a never-true comparison (callers reject those first).
 */
export function compileCmp(name: string, op: CmpOp, value: bigint, bits: number): Policy {
  const n = normalizeCmp(op, value, bits);
  if (n === null) throw new Error('compileCmp: comparison is never true');
  const leaf = (i: number, b: 0 | 1) => mkAttr(bitLabel(name, bits, i, b));
  const c = n.value;
  switch (n.kind) {
    case 'any':
      return mkOr([leaf(0, 0), leaf(0, 1)]);
    case 'eq': {
      if (bits === 1) return leaf(0, bitOf(c, 0));
      const leaves: Policy[] = [];
      for (let i = bits - 1; i >= 0; i--) leaves.push(leaf(i, bitOf(c, i)));
      return mkAnd(leaves);
    }
    case 'ge': {
      const j = lowest(c, 1, bits);
      let node: Policy = leaf(j, 1);
      for (let i = j + 1; i < bits; i++)
        node = bitOf(c, i) === 1 ? mkAnd([leaf(i, 1), node]) : mkOr([leaf(i, 1), node]);
      return node;
    }
    default: {
      const j = lowest(c, 0, bits);
      let node: Policy = leaf(j, 0);
      for (let i = j + 1; i < bits; i++)
        node = bitOf(c, i) === 0 ? mkAnd([leaf(i, 0), node]) : mkOr([leaf(i, 0), node]);
      return node;
    }
  }
}
