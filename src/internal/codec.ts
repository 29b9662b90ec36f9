/**
 * A tiny binary writer/reader for our versioned encodings. Every read is
 * bounds-checked and throws `InvalidEncodingError` naming the field; `end()`
 * rejects trailing bytes. Internal.
 */
import { InvalidEncodingError } from '../errors.js';
import { concatBytes, fromUtf8, u32be, utf8 } from './bytes.js';

/** Accumulates byte fields. */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  /** Append raw bytes. */
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }
  /** Append one byte. */
  u8(n: number): this {
    this.parts.push(Uint8Array.of(n & 0xff));
    return this;
  }
  /** Append a u32 big-endian. */
  u32(n: number): this {
    this.parts.push(u32be(n));
    return this;
  }
  /** Append u32 length + bytes. */
  varBytes(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }
  /** Append u32 length + UTF-8 string. */
  string(s: string): this {
    return this.varBytes(utf8(s));
  }
  /** The concatenation of everything written. */
  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

/** Reads byte fields from a buffer, naming the encoding in errors. */
export class ByteReader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}
  /** Bytes not yet read. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  /** Read exactly `n` bytes. */
  bytes(n: number, field: string): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new InvalidEncodingError(`${this.what}: truncated while reading ${field}`);
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Read one byte. */
  u8(field: string): number {
    return this.bytes(1, field)[0] as number;
  }
  /** Read a u32 big-endian. */
  u32(field: string): number {
    const b = this.bytes(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false);
  }
  /** Read a count bounded by `max` (protects against huge allocations). */
  count(field: string, max: number): number {
    const n = this.u32(field);
    if (n > max) throw new InvalidEncodingError(`${this.what}: ${field} ${n} exceeds the limit ${max}`);
    return n;
  }
  /** Read u32 length + bytes, with a maximum length. */
  varBytes(field: string, max = this.remaining): Uint8Array {
    const n = this.u32(field);
    if (n > max) throw new InvalidEncodingError(`${this.what}: ${field} length ${n} exceeds the limit ${max}`);
    return this.bytes(n, field);
  }
  /** Read u32 length + strict UTF-8 string. */
  string(field: string, max = this.remaining): string {
    return fromUtf8(this.varBytes(field, max), `${this.what}: ${field}`);
  }
  /** Require that every byte was consumed. */
  end(): void {
    if (this.pos !== this.buf.length) {
      throw new InvalidEncodingError(`${this.what}: ${this.buf.length - this.pos} trailing bytes`);
    }
  }
}
