/**
 * The in-memory {@link BlobStore}.
 *
 * @module protocol/memory-blob-store
 */

import { refuseLiveJson } from '../internal/json-form.js';
import {
  type BlobStore,
  type BlobStoreOptions,
  blobLocator,
  blobSizeOption,
  checkBlob,
  checkBlobSize,
  parseBlobLocator,
} from './blob-store.js';
import { bytesStream, readAll } from './blob-stream.js';
import { ProtocolError } from './errors.js';

/**
 * An in-memory {@link BlobStore}: for tests, demos and browser apps. Stores and
 * returns copies, so callers cannot alter stored bytes through a shared buffer.
 *
 * @example
 * ```ts
 * import { MemoryBlobStore } from 'bpds/protocol';
 * const store = new MemoryBlobStore();
 * const locator = await store.put(new Uint8Array([1, 2, 3]));
 * const bytes = await store.get(locator); // Uint8Array [1, 2, 3]
 * ```
 */
export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Uint8Array>();
  readonly #max: number;

  /** @throws {InvalidArgumentError} when `maxBlobSize` is not a positive integer. */
  constructor(options: BlobStoreOptions = {}) {
    this.#max = blobSizeOption(options);
  }

  /** {@inheritDoc BlobStore.put} */
  async put(bytes: Uint8Array): Promise<string> {
    checkBlobSize(bytes, this.#max);
    const locator = blobLocator(bytes);
    if (!this.#blobs.has(locator)) this.#blobs.set(locator, bytes.slice());
    return locator;
  }

  /** {@inheritDoc BlobStore.get} */
  async get(locator: string): Promise<Uint8Array> {
    parseBlobLocator(locator);
    const b = this.#blobs.get(locator);
    if (b === undefined) throw new ProtocolError('blob-store', 'BLOB_NOT_FOUND', `no blob stored under ${locator}`);
    checkBlob(locator, b);
    return b.slice();
  }

  /** {@inheritDoc BlobStore.has} */
  async has(locator: string): Promise<boolean> {
    parseBlobLocator(locator);
    return this.#blobs.has(locator);
  }

  /** See {@link BlobStore.putStream}. Buffers the stream (it is a memory store), bounded by `maxBlobSize`. */
  async putStream(source: ReadableStream<Uint8Array>): Promise<string> {
    return this.put(await readAll(source, this.#max));
  }

  /** See {@link BlobStore.getStream}. The blob is verified before the stream starts, and streamed as copies. */
  async getStream(locator: string): Promise<ReadableStream<Uint8Array>> {
    return bytesStream(await this.get(locator));
  }

  /**
   * Replace the stored bytes of `locator` without re-addressing them: simulates a
   * malicious or faulty storage provider in tests and demos. `get` will then
   * refuse the blob.
   *
   * @throws {ProtocolError} `BLOB_NOT_FOUND` when nothing is stored under `locator`.
   * @example
   * ```ts
   * import { MemoryBlobStore } from 'bpds/protocol';
   * const store = new MemoryBlobStore();
   * const loc = await store.put(new Uint8Array([1]));
   * store.tamper(loc, (b) => { b[0] ^= 1; });
   * ```
   */
  tamper(locator: string, mutate: (bytes: Uint8Array) => Uint8Array | undefined): void {
    parseBlobLocator(locator);
    const b = this.#blobs.get(locator);
    if (b === undefined) throw new ProtocolError('blob-store', 'BLOB_NOT_FOUND', `no blob stored under ${locator}`);
    const copy = b.slice();
    this.#blobs.set(locator, mutate(copy) ?? copy);
  }

  /**
   * No JSON form: a MemoryBlobStore is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('a MemoryBlobStore', 'read its blobs with get()');
  }
}
