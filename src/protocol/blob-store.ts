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

/** @internal The tag of blob content addresses. */
export const BLOB_TAG = 'bpds/v1/blob';
/** @internal */
export const LOCATOR_PREFIX = 'bpds-blob:sha256:';
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
  /**
   * Store a stream and return its content address, in bounded memory. Nothing is visible
   * under the final address until every byte is durably stored (temporary name, then an
   * atomic rename or copy). Errors of `source` propagate unchanged and leave nothing behind.
   * Optional: `putBlobStream` buffers through `put` for stores without it.
   * @throws {InvalidArgumentError} when `source` is not a ReadableStream, yields a non-Uint8Array, or is too large.
   */
  putStream?(source: ReadableStream<Uint8Array>): Promise<string>;
  /**
   * Stream the bytes stored under `locator`. Resolves once the blob is found; the bytes
   * it delivers are UNVERIFIED until the stream closes: when they do not hash to
   * `locator` the stream errors with `BLOB_CORRUPT` instead of closing (see
   * {@link verifiedBlobStream}). Optional: `getBlobStream` falls back to `get`.
   * @throws {InvalidArgumentError} when `locator` is malformed.
   * @throws {ProtocolError} `BLOB_NOT_FOUND` (at the call), `BLOB_CORRUPT` (as the stream's error).
   */
  getStream?(locator: string): Promise<ReadableStream<Uint8Array>>;
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
  /** Largest blob accepted by `put` and returned by `get`, in bytes (default 256 MiB): whole-buffer calls hold it in memory. */
  maxBlobSize?: number;
  /** Largest blob accepted by `putStream` and served by `getStream` (default 5 TiB): streams use bounded memory. */
  maxStreamSize?: number;
}

/** @internal Validated `maxStreamSize` option. */
export function streamSizeOption(options: BlobStoreOptions): number {
  const max = options.maxStreamSize ?? 5 * 1024 ** 4;
  assertInteger(max, 'maxStreamSize', 1);
  return max;
}
