/**
 * The policy parser: a recursive-descent parser over the grammar in
 * docs/policy.md, with limits on length, nesting depth and leaves checked as it
 * goes, so hostile input fails fast and deep nesting cannot overflow the stack.
 */
import { PolicySyntaxError } from '../errors.js';
import { assertInteger, assertObject, assertString } from '../internal/assert.js';
import { LIMITS, mkAnd, mkAttr, mkCmp, mkNot, mkOr, mkThreshold, type NotNode, type Policy } from './ast.js';
import { Lexer, type NameToken, type Token } from './internal/lexer.js';
import { bitLabel, isDigits } from './internal/names.js';
import { cmpLeafCount, maxValue } from './internal/numeric.js';

/** Limits and defaults of {@link parsePolicy}. */
export interface ParseOptions {
  /** Maximum text length in UTF-16 code units. Default 65536 (64 KiB), at most 2^24. */
  maxLength?: number;
  /** Maximum nesting depth of parentheses, `not` and thresholds. Default 64, at most 512. */
  maxDepth?: number;
  /**
   * Maximum number of leaves; a numeric comparison counts as the number of bit
   * leaves it compiles to (at most its width). Default 1024, at most 4096.
   */
  maxLeaves?: number;
  /** Width of numeric attributes without a `#uN` suffix. Default 32, 1 to 64. */
  bits?: number;
}

interface Resolved {
  maxLength: number;
  maxDepth: number;
  maxLeaves: number;
  bits: number;
}

/** Source columns of `not` nodes, so that monotone-only callers can point at them. */
export const notColumns = new WeakMap<NotNode, number>();

function opt(o: Record<string, unknown>, key: keyof ParseOptions, def: number, min: number, max: number): number {
  const v = o[key];
  if (v === undefined) return def;
  assertInteger(v, `options.${key}`, min, max);
  return v;
}

function resolve(options: unknown): Resolved {
  if (options === undefined) {
    return { maxLength: LIMITS.maxLength, maxDepth: LIMITS.maxDepth, maxLeaves: LIMITS.maxLeaves, bits: LIMITS.bits };
  }
  assertObject(options, 'options');
  return {
    maxLength: opt(options, 'maxLength', LIMITS.maxLength, 1, LIMITS.hardMaxLength),
    maxDepth: opt(options, 'maxDepth', LIMITS.maxDepth, 1, LIMITS.hardMaxDepth),
    maxLeaves: opt(options, 'maxLeaves', LIMITS.maxLeaves, 1, LIMITS.hardMaxLeaves),
    bits: opt(options, 'bits', LIMITS.bits, 1, LIMITS.maxBits),
  };
}

/** Parse a decimal integer token bounded by `max`; `null` if not a bare integer. */
function integerOf(t: Token): string | null {
  if (t.t !== 'name' || t.quoted || t.width !== undefined || !isDigits(t.name)) return null;
  return t.name;
}

class Parser {
  private leaves = 0;
  private readonly lx: Lexer;

  constructor(
    text: string,
    private readonly o: Resolved,
  ) {
    this.lx = new Lexer(text);
  }

  parse(): Policy {
    const p = this.or(0);
    const t = this.lx.peek();
    if (t.t !== 'eof') fail(t.t === ')' ? "unexpected ')'" : "expected 'and', 'or' or end of policy", t.col);
    return p;
  }

  private enter(depth: number, col: number): void {
    if (depth > this.o.maxDepth) fail(`nesting deeper than ${this.o.maxDepth}`, col);
  }

  private count(n: number, col: number): void {
    this.leaves += n;
    if (this.leaves > this.o.maxLeaves) fail(`more than ${this.o.maxLeaves} leaves`, col);
  }

  private or(d: number): Policy {
    const children = [this.and(d)];
    while (this.lx.peek().t === 'or') {
      this.lx.next();
      children.push(this.and(d));
    }
    return children.length === 1 ? (children[0] as Policy) : mkOr(children);
  }

  private and(d: number): Policy {
    const children = [this.unary(d)];
    while (this.lx.peek().t === 'and') {
      this.lx.next();
      children.push(this.unary(d));
    }
    return children.length === 1 ? (children[0] as Policy) : mkAnd(children);
  }

  private unary(d: number): Policy {
    const t = this.lx.peek();
    if (t.t !== 'not') return this.primary(d);
    this.lx.next();
    this.enter(d + 1, t.col);
    const n = mkNot(this.unary(d + 1));
    notColumns.set(n, t.col);
    return n;
  }

  private primary(d: number): Policy {
    const t = this.lx.peek();
    if (t.t === '(') {
      this.lx.next();
      this.enter(d + 1, t.col);
      const e = this.or(d + 1);
      this.expect(')', "expected ')'");
      return e;
    }
    if (t.t === 'name') {
      const after = this.lx.peek(1);
      if (after.t === 'of' && integerOf(t) !== null) return this.threshold(d, t);
      if (after.t === 'op') return this.comparison(t);
      this.lx.next();
      if (t.width !== undefined && t.bit === undefined) {
        fail("expected a comparison operator after the '#uN' width", after.col);
      }
      this.count(1, t.col);
      return mkAttr(t.bit === undefined ? t.name : bitLabel(t.name, t.width as number, t.bit.index, t.bit.value));
    }
    return fail(
      t.t === 'eof'
        ? "unexpected end of policy: expected an attribute, '(', 'not' or a threshold"
        : "expected an attribute, '(', 'not' or a threshold",
      t.col,
    );
  }

  private threshold(d: number, kTok: NameToken): Policy {
    this.lx.next(); // k
    this.lx.next(); // of
    this.enter(d + 1, kTok.col);
    this.expect('(', "expected '(' after 'of'");
    const children = [this.or(d + 1)];
    while (this.lx.peek().t === ',') {
      this.lx.next();
      children.push(this.or(d + 1));
    }
    this.expect(')', "expected ',' or ')'");
    const kText = kTok.name.replace(/^0+(?=.)/, '');
    const k = kText.length > 6 ? Number.POSITIVE_INFINITY : Number(kText);
    if (k < 1 || k > children.length) {
      fail(`threshold must be between 1 and the number of operands (${children.length})`, kTok.col);
    }
    return mkThreshold(k, children);
  }

  private comparison(nameTok: NameToken): Policy {
    this.lx.next();
    const opTok = this.lx.next();
    if (opTok.t !== 'op') return fail('expected a comparison operator', opTok.col);
    if (nameTok.bit !== undefined) fail('a bit attribute cannot be compared', opTok.col);
    const vTok = this.lx.next();
    const vText = integerOf(vTok);
    if (vText === null) return fail('expected a non-negative integer', vTok.col);
    const bits = nameTok.width ?? this.o.bits;
    const max = maxValue(bits);
    const digits = vText.replace(/^0+(?=.)/, '');
    const value = digits.length > 20 ? max + 1n : BigInt(digits);
    if (value > max) fail(`integer out of range for a ${bits}-bit attribute (0 to ${max})`, vTok.col);
    const n = cmpLeafCount(opTok.op, value, bits);
    if (n === 0) fail(`comparison is never true for a ${bits}-bit attribute`, opTok.col);
    this.count(n, nameTok.col);
    return mkCmp(nameTok.name, opTok.op, value, bits);
  }

  private expect(t: Token['t'], reason: string): void {
    const got = this.lx.peek();
    if (got.t !== t) fail(reason, got.col);
    this.lx.next();
  }
}

function fail(reason: string, col: number): never {
  throw new PolicySyntaxError(reason, col);
}

/**
 * Parse policy text into an immutable AST.
 *
 * The grammar (docs/policy.md): attributes (`dept:cardiology`, `"Dr. Smith"`,
 * `/resourceType`), `and`/`&&`, `or`/`||`, `not`, parentheses, thresholds
 * `2 of (a, b, c)` and numeric comparisons `age >= 18`, `level#u8 < 5`.
 * `and` binds tighter than `or`; `not` binds tightest.
 *
 * @param text - the policy text
 * @param options - limits and the default numeric width
 * @returns the frozen AST, as written (see {@link formatPolicy} for the canonical form)
 * @throws {PolicySyntaxError} on a syntax error or exceeded limit, with the 1-based `column`
 * @throws {InvalidArgumentError} if `text` is not a string or an option is out of range
 * @example
 * ```ts
 * import { parsePolicy } from 'bpds/policy';
 * const p = parsePolicy('dept:cardiology and (role/doctor or 2 of (a, b, c)) and clearance >= 3');
 * console.log(p.kind); // 'and'
 * ```
 */
export function parsePolicy(text: string, options?: ParseOptions): Policy {
  assertString(text, 'text');
  const o = resolve(options);
  if (text.length > o.maxLength) fail(`policy longer than ${o.maxLength} characters`, o.maxLength + 1);
  return new Parser(text, o).parse();
}
