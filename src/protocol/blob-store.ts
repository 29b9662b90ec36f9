/**
 * Content-addressed blob storage for the BPDS flow (the "cloud storage" of the
 * BPDS system model: encrypted EMRs live off-chain, only their index goes on the
 * ledger).
 *
 * A locator is `bpds-blob:sha256:<64 hex>`, the tagged SHA-256
 * (`bpds/v1/blob`) of the stored bytes. Every implementation re-hashes what it
 * reads and refuses to serve bytes that do not match their locator, so a
 * corrupted or substituted blob is detected at `get` (and the requester checks
 * the ciphertext digest in the signed index record again).
 *
 * @module protocol/blob-store
 */
import { InvalidArgumentError } from '../errors.js';
import { assertBytes, assertInteger, assertString } from '../internal/assert.js';
import { equalBytes, fromHex, toHex } from '../internal/bytes.js';
import { taggedHash } from '../internal/tagged-hash.js';
import { ProtocolError } from './errors.js';

const BLOB_TAG = 'bpds/v1/blob';
const LOCATOR_PREFIX = 'bpds-blob:sha256:';
const LOCATOR_RE = /^bpds-blob:sha256:[0-9a-f]{64}$/;

/** Default largest blob a store accepts: 256 MiB. */
export const DEFAULT_MAX_BLOB_SIZE = 256 * 1024 * 1024;

/**
 * Storage for immutable byte blobs, addressed by content. Implement it over any
 * storage (S3-compatible object stores, IPFS, a database) as `docs/protocol.md`
 * describes; the two built-in implementations are {@link MemoryBlobStore} and
 * `FileBlobStore`.
 *
 * Contract: `put(bytes)` returns {@link blobLocator}(bytes) and is idempotent;
 * `get(locator)` returns bytes whose locator is `locator`, or throws
 * {@link ProtocolError} (`step: 'blob-store'`, reason `'BLOB_NOT_FOUND'`;
 * `step: 'blob-integrity'`, reason `'BLOB_CORRUPT'` when stored bytes no longer
 * match). Use {@link checkBlob} in your own implementation.
 */
export interface BlobStore {
  /**
   * Store `bytes` and return their content address.
   * @throws {InvalidArgumentError} when `bytes` is not a Uint8Array or is too large.
   */
  put(bytes: Uint8Array): Promise<string>;
  /**
   * Fetch the bytes stored under `locator`, verified against it.
   * @throws {InvalidArgumentError} when `locator` is not a well-formed blob locator.
   * @throws {ProtocolError} `BLOB_NOT_FOUND` or `BLOB_CORRUPT`.
   */
  get(locator: string): Promise<Uint8Array>;
  /** True when a blob is stored under `locator` (without verifying it). */
  has(locator: string): Promise<boolean>;
}

/**
 * The content address of `bytes`: `bpds-blob:sha256:` followed by the hex of the
 * tagged SHA-256 (`bpds/v1/blob`) of the bytes.
 *
 * @throws {InvalidArgumentError} when `bytes` is not a Uint8Array.
 * @example
 * ```ts
 * import { blobLocator } from 'bpds/protocol';
 * blobLocator(new Uint8Array([1, 2, 3])); // 'bpds-blob:sha256:…'
 * ```
 */
export function blobLocator(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  return LOCATOR_PREFIX + toHex(taggedHash(BLOB_TAG, bytes));
}

/**
 * Parse a blob locator and return its 32-byte digest.
 *
 * @throws {InvalidArgumentError} when `locator` is not a string of the form
 *   `bpds-blob:sha256:<64 lower-case hex>`.
 * @example
 * ```ts
 * import { blobLocator, parseBlobLocator } from 'bpds/protocol';
 * parseBlobLocator(blobLocator(new Uint8Array([1]))).length; // 32
 * ```
 */
export function parseBlobLocator(locator: string): Uint8Array {
  assertString(locator, 'locator', 200);
  if (!LOCATOR_RE.test(locator)) {
    throw new InvalidArgumentError('"locator" expected bpds-blob:sha256:<64 lower-case hex digits>');
  }
  return fromHex(locator.slice(LOCATOR_PREFIX.length), 'locator');
}

/**
 * Throw unless `bytes` hash to `locator`. For {@link BlobStore} implementers:
 * call it on every read before returning bytes.
 *
 * @throws {ProtocolError} `step: 'blob-integrity'`, reason `'BLOB_CORRUPT'`.
 * @throws {InvalidArgumentError} when `locator` is malformed or `bytes` is not a Uint8Array.
 * @example
 * ```ts
 * import { blobLocator, checkBlob } from 'bpds/protocol';
 * const b = new Uint8Array([1, 2]);
 * checkBlob(blobLocator(b), b); // ok
 * ```
 */
export function checkBlob(locator: string, bytes: Uint8Array): void {
  const want = parseBlobLocator(locator);
  assertBytes(bytes, 'bytes');
  if (!equalBytes(want, taggedHash(BLOB_TAG, bytes))) {
    throw new ProtocolError(
      'blob-integrity',
      'BLOB_CORRUPT',
      `the blob stored under ${locator} does not match its address`,
    );
  }
}

/** @internal Shared size check of the built-in stores. */
export function checkBlobSize(bytes: Uint8Array, max: number): void {
  assertBytes(bytes, 'bytes');
  if (bytes.length > max) {
    throw new InvalidArgumentError(`"bytes" of ${bytes.length} bytes exceeds the blob size limit of ${max}`);
  }
}

/** @internal Validated `maxBlobSize` option. */
export function blobSizeOption(options: BlobStoreOptions): number {
  const max = options.maxBlobSize ?? DEFAULT_MAX_BLOB_SIZE;
  assertInteger(max, 'maxBlobSize', 1);
  return max;
}

/** Options of the built-in blob stores. */
export interface BlobStoreOptions {
  /** Largest blob accepted by `put`, in bytes (default 256 MiB). */
  maxBlobSize?: number;
}

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
}
