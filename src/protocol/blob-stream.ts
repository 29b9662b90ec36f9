/**
 * Streaming helpers for {@link BlobStore} implementations: content addressing of a
 * stream as it flows, and verified reads that error at the end when the bytes do
 * not hash to their locator.
 *
 * A streamed read cannot be verified before its last byte: the bytes a
 * `getStream` stream delivers are **unverified until the stream closes**. Every
 * built-in store errors the stream with `BLOB_CORRUPT` instead of closing it when the
 * digest does not match, so a consumer that acts only on a normal close never acts
 * on corrupt bytes. The protocol layer adds its own end-of-stream checks (the index
 * record's ciphertext digest) and decrypts with the STREAM construction, which
 * releases only authenticated segments (docs/storage.md).
 *
 * @module protocol/blob-stream
 */
import { InvalidArgumentError } from '../errors.js';
import { assertReadableStream } from '../internal/byte-queue.js';
import { equalBytes, toHex } from '../internal/bytes.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { type TaggedHasher, taggedHasher } from '../internal/tagged-hash.js';
import { BLOB_TAG, type BlobStore, LOCATOR_PREFIX, parseBlobLocator } from './blob-store.js';
import { ProtocolError } from './errors.js';

/** Default largest streamed blob: 5 TiB (the S3 object limit). */
export const DEFAULT_MAX_STREAM_SIZE = 5 * 1024 ** 4;

/** An incremental content address: feed the bytes, then read the locator and size. */
export class BlobHasher {
  readonly #h: TaggedHasher = taggedHasher(BLOB_TAG);
  #size = 0;
  #max: number;

  /** @param max - largest accepted total; `update` throws InvalidArgumentError beyond it. */
  constructor(max = DEFAULT_MAX_STREAM_SIZE) {
    this.#max = max;
  }

  /**
   * Hash the next bytes.
   * @throws {InvalidArgumentError} when `chunk` is not a Uint8Array or the total exceeds the limit.
   */
  update(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array)) throw new InvalidArgumentError('blob stream: a chunk is not a Uint8Array');
    this.#size += chunk.length;
    if (this.#size > this.#max) {
      throw new InvalidArgumentError(`blob stream exceeds the size limit of ${this.#max} bytes`);
    }
    this.#h.update(chunk);
  }

  /** Bytes hashed so far. */
  get size(): number {
    return this.#size;
  }

  /** The locator of everything hashed (call once, at the end). */
  locator(): string {
    return LOCATOR_PREFIX + toHex(this.#h.digest());
  }

  /**
   * No JSON form: a BlobHasher is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('a BlobHasher', 'read locator() and size instead');
  }
}

/** The error of a blob whose bytes do not match their locator. */
export function corruptBlob(locator: string, detail = 'does not match its address'): ProtocolError {
  return new ProtocolError('blob-integrity', 'BLOB_CORRUPT', `the blob stored under ${locator} ${detail}`);
}

/**
 * Pass `source` through unchanged while hashing it; the returned stream closes only
 * when the bytes hash to `locator`, and otherwise errors with `BLOB_CORRUPT`
 * (`step: 'blob-integrity'`). Bytes over `maxBytes` error it too. For BlobStore
 * implementers: wrap every streamed read in it.
 *
 * @throws {InvalidArgumentError} when `locator` is malformed or `source` is not a ReadableStream.
 * @example
 * ```ts
 * import { blobLocator, verifiedBlobStream } from 'bpds/protocol';
 * const bytes = new Uint8Array([1, 2, 3]);
 * const checked = verifiedBlobStream(blobLocator(bytes), new Blob([bytes]).stream());
 * await new Response(checked).arrayBuffer(); // resolves: the bytes match
 * ```
 */
export function verifiedBlobStream(
  locator: string,
  source: ReadableStream<Uint8Array>,
  maxBytes = DEFAULT_MAX_STREAM_SIZE,
): ReadableStream<Uint8Array> {
  const want = parseBlobLocator(locator);
  assertReadableStream(source, 'source');
  const h = new BlobHasher(Number.MAX_SAFE_INTEGER);
  const check = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!(chunk instanceof Uint8Array)) throw corruptBlob(locator, 'is not a byte stream');
      h.update(chunk);
      if (h.size > maxBytes) throw corruptBlob(locator, 'exceeds the size limit');
      controller.enqueue(chunk);
    },
    flush() {
      if (!equalBytes(parseBlobLocator(h.locator()), want)) throw corruptBlob(locator);
    },
  });
  return source.pipeThrough(check);
}

/**
 * A store's `putStream`, or (for a store without one) the whole stream buffered and
 * passed to `put`, bounded by `maxBytes`.
 *
 * @throws {InvalidArgumentError} for a bad source, or a stream over `maxBytes` on the buffered path.
 * @example
 * ```ts
 * import { MemoryBlobStore, putBlobStream } from 'bpds/protocol';
 * const locator = await putBlobStream(new MemoryBlobStore(), new Blob(['ciphertext']).stream());
 * ```
 */
export async function putBlobStream(
  store: BlobStore,
  source: ReadableStream<Uint8Array>,
  maxBytes = 256 * 1024 * 1024,
): Promise<string> {
  assertReadableStream(source, 'source');
  if (typeof store.putStream === 'function') return store.putStream(source);
  return store.put(await readAll(source, maxBytes));
}

/**
 * A store's `getStream`, or (for a store without one) its verified `get` as a stream.
 *
 * @throws {ProtocolError} `BLOB_NOT_FOUND` (and, on the buffered path, `BLOB_CORRUPT`).
 * @example
 * ```ts
 * import { getBlobStream, MemoryBlobStore } from 'bpds/protocol';
 * const store = new MemoryBlobStore();
 * const stream = await getBlobStream(store, await store.put(new Uint8Array([1])));
 * ```
 */
export async function getBlobStream(store: BlobStore, locator: string): Promise<ReadableStream<Uint8Array>> {
  if (typeof store.getStream === 'function') return store.getStream(locator);
  return bytesStream(await store.get(locator));
}

/** A ReadableStream of `bytes` in chunks of at most `chunkSize`. @internal */
export function bytesStream(bytes: Uint8Array, chunkSize = 1 << 20): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (off >= bytes.length) {
        c.close();
        return;
      }
      c.enqueue(bytes.subarray(off, off + chunkSize));
      off += chunkSize;
    },
  });
}

/** Read a whole stream into one buffer, refusing more than `maxBytes`. @internal */
export async function readAll(source: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = source.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      await reader.cancel();
      throw new InvalidArgumentError('blob stream: a chunk is not a Uint8Array');
    }
    n += value.length;
    if (n > maxBytes) {
      await reader.cancel();
      throw new InvalidArgumentError(`blob stream exceeds the size limit of ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
