/**
 * The policy tokenizer: produces tokens on demand (so hostile input fails at
 * its first error) with 1-based columns (UTF-16 code units). Internal.
 */
import { PolicySyntaxError } from '../../errors.js';
import { type CmpOp, LIMITS } from '../ast.js';
import { isNameChar, KEYWORDS, nameProblem } from './names.js';

/** An attribute name token, bare or quoted, with its optional `#uN` width and `[i]=b` bit suffix. */
export interface NameToken {
  readonly t: 'name';
  readonly col: number;
  /** The decoded name. */
  readonly name: string;
  /** True when written as a quoted string. */
  readonly quoted: boolean;
  /** Declared width from a `#uN` suffix. */
  readonly width?: number;
  /** Bit suffix `[index]=bit` (only with a width). */
  readonly bit?: { readonly index: number; readonly value: 0 | 1 };
}

/** Every token. */
export type Token =
  | NameToken
  | { readonly t: 'op'; readonly col: number; readonly op: CmpOp }
  | { readonly t: '(' | ')' | ',' | 'and' | 'or' | 'not' | 'of' | 'eof'; readonly col: number };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function describeChar(s: string, i: number): string {
  const cp = s.codePointAt(i) as number;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) || /\s/u.test(ch) || cp === 0x200b) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}

/** A lazy tokenizer with arbitrary lookahead. */
export class Lexer {
  private pos = 0;
  private readonly buf: Token[] = [];

  constructor(private readonly s: string) {}

  /** The token `k` positions ahead. */
  peek(k = 0): Token {
    while (this.buf.length <= k) this.buf.push(this.lex());
    return this.buf[k] as Token;
  }

  /** Consume and return the next token. */
  next(): Token {
    const t = this.peek();
    this.buf.shift();
    return t;
  }

  private fail(reason: string, at: number): never {
    throw new PolicySyntaxError(reason, at + 1);
  }

  private lex(): Token {
    const s = this.s;
    let i = this.pos;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    this.pos = i;
    const col = i + 1;
    if (i >= s.length) return { t: 'eof', col };
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x28:
        this.pos++;
        return { t: '(', col };
      case 0x29:
        this.pos++;
        return { t: ')', col };
      case 0x2c:
        this.pos++;
        return { t: ',', col };
      case 0x26: // &
        if (s.charCodeAt(i + 1) !== 0x26) this.fail("expected '&&'", i);
        this.pos += 2;
        return { t: 'and', col };
      case 0x7c: // |
        if (s.charCodeAt(i + 1) !== 0x7c) this.fail("expected '||'", i);
        this.pos += 2;
        return { t: 'or', col };
      case 0x3c: // <
      case 0x3e: {
        // >
        const eq = s.charCodeAt(i + 1) === 0x3d;
        this.pos += eq ? 2 : 1;
        const op: CmpOp = c === 0x3c ? (eq ? '<=' : '<') : eq ? '>=' : '>';
        return { t: 'op', col, op };
      }
      case 0x3d: // =
        this.pos++;
        return { t: 'op', col, op: '=' };
      case 0x22: // "
        return this.suffix(this.quoted(i), i, true);
      default:
        break;
    }
    if (!isNameChar(c)) this.fail(`unexpected character ${describeChar(s, i)}`, i);
    let j = i;
    while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
    const word = s.slice(i, j);
    this.pos = j;
    const lower = word.toLowerCase();
    if (KEYWORDS.has(lower)) {
      if (s.charCodeAt(j) === 0x23) this.fail(`keyword '${word}' cannot be an attribute name: quote it`, i);
      return { t: lower as 'and' | 'or' | 'not' | 'of', col };
    }
    if (word.length > LIMITS.maxNameLength)
      this.fail(`attribute name longer than ${LIMITS.maxNameLength} characters`, i);
    return this.suffix(word, i, false);
  }

  /** Decode a quoted string starting at `start` (the opening quote); leaves `pos` after the closing quote. */
  private quoted(start: number): string {
    const s = this.s;
    let i = start + 1;
    let out = '';
    let run = i;
    for (;;) {
      if (i >= s.length) this.fail('unterminated string', start);
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        out += s.slice(run, i);
        i++;
        break;
      }
      if (c < 0x20 || c === 0x7f) this.fail(`control character ${describeChar(s, i)} in string`, i);
      if (c === 0x5c) {
        out += s.slice(run, i);
        const e = s.charCodeAt(i + 1);
        if (e === 0x22 || e === 0x5c) {
          out += String.fromCharCode(e);
          i += 2;
        } else if (e === 0x75 && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          this.fail('invalid escape: expected \\", \\\\ or \\uXXXX', i);
        }
        run = i;
        if (out.length > LIMITS.maxNameLength)
          this.fail(`attribute name longer than ${LIMITS.maxNameLength} characters`, start);
        continue;
      }
      i++;
      if (i - run > LIMITS.maxNameLength)
        this.fail(`attribute name longer than ${LIMITS.maxNameLength} characters`, start);
    }
    this.pos = i;
    const problem = nameProblem(out);
    if (problem !== null) this.fail(problem, start);
    return out;
  }

  /** Read an optional `#uN` or `#uN[i]=b` suffix right after a name. */
  private suffix(name: string, start: number, quoted: boolean): NameToken {
    const s = this.s;
    const col = start + 1;
    let i = this.pos;
    if (s.charCodeAt(i) !== 0x23) return { t: 'name', col, name, quoted };
    const m = /^#u([0-9]+)(?:\[([0-9]+)\]=([0-9]+))?/.exec(s.slice(i, i + 40));
    if (m === null) this.fail("expected a bit width '#u1' to '#u64'", i);
    const wText = m[1] as string;
    const width = Number(wText);
    if (!/^[1-9][0-9]?$/.test(wText) || width > LIMITS.maxBits) this.fail('bit width must be 1 to 64', i + 2);
    if (m[2] === undefined) {
      this.pos = i + m[0].length;
      return { t: 'name', col, name, quoted, width };
    }
    const iText = m[2];
    const index = Number(iText);
    const idxAt = i + 3 + wText.length;
    if (!/^(0|[1-9][0-9]?)$/.test(iText) || index >= width) this.fail(`bit index must be 0 to ${width - 1}`, idxAt);
    if (m[3] !== '0' && m[3] !== '1') this.fail('bit value must be 0 or 1', idxAt + iText.length + 2);
    i += m[0].length;
    this.pos = i;
    return { t: 'name', col, name, quoted, width, bit: { index, value: m[3] === '1' ? 1 : 0 } };
  }
}
