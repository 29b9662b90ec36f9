/**
 * Exact-size reads from a WHATWG `ReadableStream<Uint8Array>`: the stream's chunks are
 * queued without copying and handed out in the sizes a framing needs (a header field,
 * one segment). At most one source chunk beyond the requested size is held. Internal.
 */
import { InvalidArgumentError } from '../errors.js';

/** Throw unless `v` is a WHATWG ReadableStream (has `getReader`). */
export function assertReadableStream(v: unknown, name: string): asserts v is ReadableStream<Uint8Array> {
  if (typeof v !== 'object' || v === null || typeof (v as { getReader?: unknown }).getReader !== 'function') {
    throw new InvalidArgumentError(`"${name}" expected a ReadableStream<Uint8Array>`);
  }
}

/** A queue of bytes pulled on demand from a stream reader. */
export class ByteQueue {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #what: string;
  #chunks: Uint8Array[] = [];
  #head = 0;
  #length = 0;
  #done = false;

  constructor(source: ReadableStream<Uint8Array>, what: string) {
    this.#reader = source.getReader();
    this.#what = what;
  }

  /** Bytes queued and not yet taken. */
  get length(): number {
    return this.#length;
  }

  /** True once the source has ended (queued bytes may remain). */
  get done(): boolean {
    return this.#done;
  }

  /**
   * Read from the source until at least `n` bytes are queued or the source ends.
   * Returns whether `n` bytes are available. Source errors propagate unchanged.
   * @throws {InvalidArgumentError} when the source yields something other than a Uint8Array.
   */
  async fill(n: number): Promise<boolean> {
    while (this.#length < n && !this.#done) {
      const { done, value } = await this.#reader.read();
      if (done) {
        this.#done = true;
        break;
      }
      if (!(value instanceof Uint8Array)) {
        throw new InvalidArgumentError(`${this.#what}: the stream yielded a chunk that is not a Uint8Array`);
      }
      if (value.length === 0) continue;
      this.#chunks.push(value);
      this.#length += value.length;
    }
    return this.#length >= n;
  }

  /** Take exactly `n` queued bytes (n <= length): a view into a source chunk when possible, else a copy. */
  take(n: number): Uint8Array {
    if (n > this.#length) throw new RangeError('ByteQueue.take: not enough bytes queued');
    this.#length -= n;
    const first = this.#chunks[0];
    if (n === 0) return new Uint8Array(0);
    if (first !== undefined && first.length - this.#head >= n) {
      const out = first.subarray(this.#head, this.#head + n);
      this.#head += n;
      if (this.#head === first.length) this.#drop();
      return out;
    }
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = this.#chunks[0] as Uint8Array;
      const k = Math.min(n - off, c.length - this.#head);
      out.set(c.subarray(this.#head, this.#head + k), off);
      off += k;
      this.#head += k;
      if (this.#head === c.length) this.#drop();
    }
    return out;
  }

  #drop(): void {
    this.#chunks.shift();
    this.#head = 0;
  }

  /** Stop reading: cancel the source (best effort, never throws) and drop queued bytes. */
  async cancel(reason?: unknown): Promise<void> {
    this.#chunks = [];
    this.#length = 0;
    this.#head = 0;
    this.#done = true;
    try {
      await this.#reader.cancel(reason);
    } catch {
      // the source is already errored or closed
    }
  }

  /** Release the reader lock once the source has ended. */
  release(): void {
    try {
      this.#reader.releaseLock();
    } catch {
      // pending reads: nothing to release
    }
  }
}
