/**
 * A strict JSON parser: RFC 8259 (T. Bray, 2017) with the interoperability rules of
 * I-JSON, RFC 7493 §2, made mandatory.
 *
 * Unlike `JSON.parse` it rejects duplicate member names (RFC 8259 §4 leaves them
 * undefined; `JSON.parse` silently keeps the last), lone surrogates whether raw or
 * written as `\u` escapes (RFC 7493 §2.1), numbers that are not safe integers unless
 * `allowFloats` is set (and then still non-finite ones, RFC 7493 §2.2), a byte-order
 * mark, trailing garbage, texts longer than `maxLength` and nesting deeper than
 * `maxDepth`. Every error is an `InvalidEncodingError` naming the offset.
 * `__proto__` members become ordinary own properties, never prototypes.
 *
 * Internal: shared by `index-record`, `chain` and `ces`.
 */
import { InvalidEncodingError } from '../errors.js';
import { assertInteger, assertString } from './assert.js';

/** Options of {@link parseJsonStrict}. */
export interface StrictJsonOptions {
  /** Longest accepted text in UTF-16 code units (default 8 MiB). */
  maxLength?: number;
  /** Deepest nesting of arrays/objects (default 256, at most 2048). */
  maxDepth?: number;
  /** Accept any finite number instead of only safe integers (default false). */
  allowFloats?: boolean;
}

const DEFAULT_MAX_LENGTH = 8 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;
const HARD_MAX_DEPTH = 2048;

const INT_RE = /-?(?:0|[1-9][0-9]*)/y;
const NUM_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Parser {
  pos = 0;
  constructor(
    readonly s: string,
    readonly maxDepth: number,
    readonly allowFloats: boolean,
  ) {}

  fail(what: string, at = this.pos): never {
    throw new InvalidEncodingError(`JSON: ${what} at offset ${at}`);
  }

  ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): unknown {
    this.ws();
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (Number.isNaN(c)) this.fail('unexpected end of text');
        return this.fail('unexpected character');
    }
  }

  literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.pos)) this.fail('invalid literal');
    this.pos += word.length;
    return v;
  }

  number(): number {
    const start = this.pos;
    NUM_RE.lastIndex = start;
    if (!NUM_RE.test(this.s)) this.fail('invalid number');
    const end = NUM_RE.lastIndex;
    const text = this.s.slice(start, end);
    if (!this.allowFloats) {
      INT_RE.lastIndex = start;
      INT_RE.test(this.s);
      if (INT_RE.lastIndex !== end) this.fail('expected a safe integer (no fraction or exponent)', start);
      const n = Number(text);
      if (!Number.isSafeInteger(n)) this.fail('integer outside the safe range ±(2^53-1)', start);
      this.pos = end;
      return n === 0 ? 0 : n; // -0 -> 0
    }
    const n = Number(text);
    if (!Number.isFinite(n)) this.fail('number out of range', start);
    this.pos = end;
    return n;
  }

  string(): string {
    const s = this.s;
    const start = this.pos;
    let p = start + 1;
    let out = '';
    let chunk = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x22) {
        out += s.slice(chunk, p);
        this.pos = p + 1;
        return out;
      }
      if (c === 0x5c) {
        out += s.slice(chunk, p);
        const e = s.charCodeAt(p + 1);
        p += 2;
        switch (e) {
          case 0x22:
            out += '"';
            break;
          case 0x5c:
            out += '\\';
            break;
          case 0x2f:
            out += '/';
            break;
          case 0x62:
            out += '\b';
            break;
          case 0x66:
            out += '\f';
            break;
          case 0x6e:
            out += '\n';
            break;
          case 0x72:
            out += '\r';
            break;
          case 0x74:
            out += '\t';
            break;
          case 0x75: {
            const u = this.hex4(p);
            p += 4;
            if (u >= 0xd800 && u <= 0xdbff) {
              if (s.charCodeAt(p) !== 0x5c || s.charCodeAt(p + 1) !== 0x75) this.fail('lone surrogate escape', p - 6);
              const l = this.hex4(p + 2);
              if (l < 0xdc00 || l > 0xdfff) this.fail('lone surrogate escape', p - 6);
              p += 6;
              out += String.fromCharCode(u, l);
            } else if (u >= 0xdc00 && u <= 0xdfff) {
              this.fail('lone surrogate escape', p - 6);
            } else {
              out += String.fromCharCode(u);
            }
            break;
          }
          default:
            this.fail('invalid escape', p - 2);
        }
        chunk = p;
        continue;
      }
      if (c < 0x20) this.fail('unescaped control character in string', p);
      if (p >= s.length) this.fail('unterminated string', start);
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = s.charCodeAt(p + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) this.fail('lone surrogate in string', p);
        p += 2;
        continue;
      }
      p++;
    }
  }

  hex4(p: number): number {
    let n = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.s.charCodeAt(p + i);
      let d: number;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else return this.fail('invalid \\u escape', p - 2);
      n = (n << 4) | d;
    }
    return n;
  }

  array(depth: number): unknown[] {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++;
    const out: unknown[] = [];
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return out;
      }
      this.fail("expected ',' or ']'");
    }
  }

  object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.pos++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x22) this.fail('expected a member name');
      const at = this.pos;
      const key = this.string();
      if (Object.hasOwn(out, key)) this.fail(`duplicate member name ${JSON.stringify(key.slice(0, 64))}`, at);
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x3a) this.fail("expected ':'");
      this.pos++;
      const v = this.value(depth);
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = v;
      }
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return out;
      }
      this.fail("expected ',' or '}'");
    }
  }
}

/**
 * Parse JSON text strictly (see the module comment for the rules).
 *
 * @param text JSON text (a JS string: decode bytes first with a strict UTF-8 decoder).
 * @throws InvalidEncodingError naming the offset of the first problem.
 * @throws InvalidArgumentError when `text` is not a string or an option is out of range.
 */
export function parseJsonStrict(text: string, opts: StrictJsonOptions = {}): unknown {
  assertString(text, 'text');
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  assertInteger(maxLength, 'maxLength', 0);
  assertInteger(maxDepth, 'maxDepth', 0, HARD_MAX_DEPTH);
  if (text.length > maxLength) throw new InvalidEncodingError(`JSON: text longer than ${maxLength} characters`);
  if (text.charCodeAt(0) === 0xfeff) throw new InvalidEncodingError('JSON: byte-order mark at offset 0');
  const p = new Parser(text, maxDepth, opts.allowFloats === true);
  const v = p.value(0);
  p.ws();
  if (p.pos !== text.length) p.fail('trailing characters after the JSON value');
  return v;
}
