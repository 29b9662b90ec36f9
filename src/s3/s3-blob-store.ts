/**
 * A {@link BlobStore} on any S3-compatible object store (AWS S3, MinIO, Ceph RGW,
 * s3rver...), through the caller's `@aws-sdk/client-s3` client.
 *
 * Layout: `<prefix>blobs/<64 hex>` per blob (content address), `<prefix>tmp/<random>`
 * for streamed uploads in progress. Guarantees:
 *
 * - **Never a partial object under a final key.** `put` is one PUT (or a multipart
 *   upload, which S3 makes visible only on completion) straight to the final key; a
 *   streamed upload goes to a temporary key (multipart, aborted on any failure) and is
 *   copied server-side to its content address once its digest is known, then the
 *   temporary object is deleted.
 * - **Write-once.** With `conditionalWrites: true` (default) writes carry
 *   `If-None-Match: *`, so an existing blob is never overwritten (AWS S3 since 2024,
 *   MinIO, Ceph RGW). With `conditionalWrites: false` (services that ignore the header,
 *   such as s3rver) a HEAD check before the write skips blobs that already exist; two
 *   writers racing can then both write, but content addressing makes it the same bytes.
 * - **Verified reads.** `get` re-hashes the object and throws `BLOB_CORRUPT`; `getStream`
 *   errors its stream with `BLOB_CORRUPT` at the end instead of closing (the bytes are
 *   unverified until the stream closes: docs/storage.md).
 * - **Typed errors and retries** (src/s3/errors.ts): transient failures are retried with
 *   exponential backoff and jitter; then `UNAVAILABLE`, `ACCESS_DENIED`,
 *   `BUCKET_NOT_FOUND`, `BLOB_NOT_FOUND`, `S3_ERROR`.
 *
 * Streamed blobs are limited to 5 GiB, the largest object S3's single CopyObject copies.
 *
 * @module s3/s3-blob-store
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { InvalidArgumentError } from '../errors.js';
import { assertInteger, assertObject, assertString } from '../internal/assert.js';
import { assertReadableStream } from '../internal/byte-queue.js';
import { toHex } from '../internal/bytes.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { randomBytes } from '../internal/random.js';
import {
  BlobHasher,
  type BlobStore,
  type BlobStoreOptions,
  blobLocator,
  checkBlob,
  DEFAULT_MAX_BLOB_SIZE,
  ProtocolError,
  parseBlobLocator,
  verifiedBlobStream,
} from '../protocol/index.js';
import { isNotFound, isPreconditionFailed, type RetryPolicy, toProtocolError, withRetry } from './errors.js';
import { uploadStream } from './multipart.js';

/** The largest object one S3 CopyObject call copies: 5 GiB. */
export const MAX_S3_STREAM_SIZE = 5 * 1024 ** 3;

/** Options of {@link S3BlobStore}. */
export interface S3BlobStoreOptions extends BlobStoreOptions {
  /** A configured `S3Client` (endpoint, region, credentials, `forcePathStyle` for MinIO/Ceph/s3rver). */
  readonly client: S3Client;
  /** The bucket (must exist). */
  readonly bucket: string;
  /** Key prefix of every object, e.g. `'bpds/'` (default `''`). */
  readonly prefix?: string;
  /** Send `If-None-Match: *` on writes (default true); false: HEAD check first (see the module notes). */
  readonly conditionalWrites?: boolean;
  /** Multipart part size in bytes (default 8 MiB; at least 5 MiB, S3's minimum). */
  readonly partSize?: number;
  /** Parts uploaded concurrently (default 2). Memory: about (inFlight + 1) × partSize. */
  readonly partsInFlight?: number;
  /** Retries of a transient failure after the first attempt (default 4). */
  readonly retries?: number;
  /** Base delay of the exponential backoff in ms (default 100). */
  readonly retryBaseDelayMs?: number;
}

/**
 * Content-addressed, write-once, verified blob storage in an S3 bucket.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { S3BlobStore } from 'bpds/s3';
 * const client = new S3Client({ region: 'eu-central-1' });
 * const store = new S3BlobStore({ client, bucket: 'hospital-emr', prefix: 'bpds/' });
 * const locator = await store.put(new Uint8Array([1, 2, 3]));
 * const bytes = await store.get(locator);
 * ```
 */
export class S3BlobStore implements BlobStore {
  /** The bucket. */
  readonly bucket: string;
  /** The key prefix. */
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #conditional: boolean;
  readonly #max: number;
  readonly #maxStream: number;
  readonly #partSize: number;
  readonly #inFlight: number;
  readonly #retry: RetryPolicy;

  /** @throws {InvalidArgumentError} for a missing client, a bad bucket, prefix or numeric option. */
  constructor(options: S3BlobStoreOptions) {
    assertObject(options, 'options');
    if (typeof (options.client as { send?: unknown } | undefined)?.send !== 'function') {
      throw new InvalidArgumentError('"options.client" expected an S3Client');
    }
    assertString(options.bucket, 'options.bucket', 255);
    if (options.bucket.length === 0) throw new InvalidArgumentError('"options.bucket" expected a bucket name');
    const prefix = options.prefix ?? '';
    assertString(prefix, 'options.prefix', 512);
    const num = (v: number | undefined, name: string, dflt: number, min: number) => {
      if (v === undefined) return dflt;
      assertInteger(v, name, min);
      return v;
    };
    this.#client = options.client;
    this.bucket = options.bucket;
    this.prefix = prefix;
    this.#conditional = options.conditionalWrites ?? true;
    this.#max = num(options.maxBlobSize, 'options.maxBlobSize', DEFAULT_MAX_BLOB_SIZE, 1);
    this.#maxStream = Math.min(
      num(options.maxStreamSize, 'options.maxStreamSize', MAX_S3_STREAM_SIZE, 1),
      MAX_S3_STREAM_SIZE,
    );
    this.#partSize = num(options.partSize, 'options.partSize', 8 * 1024 * 1024, 5 * 1024 * 1024);
    this.#inFlight = num(options.partsInFlight, 'options.partsInFlight', 2, 1);
    this.#retry = {
      retries: num(options.retries, 'options.retries', 4, 0),
      baseDelayMs: num(options.retryBaseDelayMs, 'options.retryBaseDelayMs', 100, 0),
    };
  }

  /** The object key of a locator. */
  keyOf(locator: string): string {
    parseBlobLocator(locator);
    return `${this.prefix}blobs/${locator.slice(locator.lastIndexOf(':') + 1)}`;
  }

  async #send<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(this.#retry, op);
    } catch (e) {
      throw toProtocolError(e, what);
    }
  }

  async #exists(key: string, what: string): Promise<boolean> {
    try {
      await withRetry(this.#retry, () => this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw toProtocolError(e, what);
    }
  }

  /** Write-once PUT of a whole blob to its final key. */
  async #putFinal(locator: string, bytes: Uint8Array): Promise<void> {
    const key = this.keyOf(locator);
    if (!this.#conditional && (await this.#exists(key, locator))) return;
    try {
      await withRetry(this.#retry, () =>
        this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: 'application/octet-stream',
            ...(this.#conditional ? { IfNoneMatch: '*' } : {}),
          }),
        ),
      );
    } catch (e) {
      if (this.#conditional && isPreconditionFailed(e)) return; // already stored: write-once
      throw toProtocolError(e, locator);
    }
  }

  /**
   * The `BlobStore.put` contract of bpds/protocol.
   * @throws {ProtocolError} `step: 'blob-store'`: `UNAVAILABLE`, `ACCESS_DENIED`, `BUCKET_NOT_FOUND`, `S3_ERROR`.
   */
  async put(bytes: Uint8Array): Promise<string> {
    if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('"bytes" expected Uint8Array');
    if (bytes.length > this.#max) {
      throw new InvalidArgumentError(`"bytes" of ${bytes.length} bytes exceeds the blob size limit of ${this.#max}`);
    }
    const locator = blobLocator(bytes);
    await this.#putFinal(locator, bytes);
    return locator;
  }

  /**
   * The `BlobStore.putStream` contract of bpds/protocol.
   * A stream that fits in one part is one write-once PUT; a longer one is a multipart
   * upload to a temporary key, copied to its content address and then deleted.
   * @throws {ProtocolError} `step: 'blob-store'`: `UNAVAILABLE`, `ACCESS_DENIED`, `BUCKET_NOT_FOUND`, `S3_ERROR`.
   */
  async putStream(source: ReadableStream<Uint8Array>): Promise<string> {
    assertReadableStream(source, 'source');
    const hasher = new BlobHasher(this.#maxStream);
    const tmp = `${this.prefix}tmp/${toHex(randomBytes(16))}`;
    let whole: Uint8Array | null;
    try {
      whole = await uploadStream(
        {
          client: this.#client,
          bucket: this.bucket,
          key: tmp,
          partSize: this.#partSize,
          inFlight: this.#inFlight,
          retry: this.#retry,
        },
        source,
        hasher,
      );
    } catch (e) {
      // InvalidArgumentError (oversized, not bytes) and the source's own errors pass through.
      if (e instanceof ProtocolError || e instanceof InvalidArgumentError || !isS3Failure(e)) throw e;
      throw toProtocolError(e, tmp);
    }
    const locator = hasher.locator();
    if (whole !== null) {
      await this.#putFinal(locator, whole);
      return locator;
    }
    try {
      const key = this.keyOf(locator);
      if (this.#conditional || !(await this.#exists(key, locator))) {
        try {
          await this.#send(locator, () =>
            this.#client.send(
              new CopyObjectCommand({
                Bucket: this.bucket,
                Key: key,
                CopySource: `${this.bucket}/${encodeURI(tmp)}`,
                ...(this.#conditional ? { IfNoneMatch: '*' } : {}),
              }),
            ),
          );
        } catch (e) {
          if (!(e instanceof ProtocolError && isPreconditionFailed(e.cause))) throw e;
        }
      }
    } finally {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tmp })).catch(() => undefined);
    }
    return locator;
  }

  /**
   * The `BlobStore.get` contract of bpds/protocol.
   * @throws {ProtocolError} `BLOB_TOO_LARGE` (use `getStream`), `UNAVAILABLE`, `ACCESS_DENIED`, `BUCKET_NOT_FOUND`, `S3_ERROR`.
   */
  async get(locator: string): Promise<Uint8Array> {
    const key = this.keyOf(locator);
    const bytes = await this.#send(locator, async () => {
      const r = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (r.ContentLength !== undefined && r.ContentLength > this.#max) {
        await r.Body?.transformToWebStream().cancel();
        throw new ProtocolError(
          'blob-store',
          'BLOB_TOO_LARGE',
          `the blob ${locator} exceeds maxBlobSize: use getStream`,
        );
      }
      if (r.Body === undefined) throw new ProtocolError('blob-store', 'S3_ERROR', 'GetObject returned no body');
      return r.Body.transformToByteArray();
    });
    checkBlob(locator, bytes);
    return bytes;
  }

  /**
   * The `BlobStore.getStream` contract of bpds/protocol.
   * Network failures after the stream started error it with `UNAVAILABLE`.
   * @throws {ProtocolError} `UNAVAILABLE`, `ACCESS_DENIED`, `BUCKET_NOT_FOUND`, `S3_ERROR`.
   */
  async getStream(locator: string): Promise<ReadableStream<Uint8Array>> {
    const key = this.keyOf(locator);
    const r = await this.#send(locator, () =>
      this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    if (r.Body === undefined) throw new ProtocolError('blob-store', 'S3_ERROR', 'GetObject returned no body');
    if (r.ContentLength !== undefined && r.ContentLength > this.#maxStream) {
      await r.Body.transformToWebStream().cancel();
      throw new ProtocolError(
        'blob-integrity',
        'BLOB_CORRUPT',
        `the blob stored under ${locator} exceeds the size limit`,
      );
    }
    const reader = r.Body.transformToWebStream().getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        try {
          const { done, value } = await reader.read();
          if (done) c.close();
          else c.enqueue(value);
        } catch (e) {
          c.error(toProtocolError(e, locator));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return verifiedBlobStream(locator, body, this.#maxStream);
  }

  /**
   * The `BlobStore.has` contract of bpds/protocol.
   * @throws {ProtocolError} `UNAVAILABLE`, `ACCESS_DENIED`, `BUCKET_NOT_FOUND`, `S3_ERROR`.
   */
  async has(locator: string): Promise<boolean> {
    return this.#exists(this.keyOf(locator), locator);
  }

  /**
   * No JSON form: an S3BlobStore is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('an S3BlobStore', 'keep its bucket and prefix (its client holds credentials)');
  }
}

/** An error from the S3 client or the network (not from the source stream or bpds). */
function isS3Failure(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  return '$metadata' in e || '$fault' in e || isNetworkError(e);
}

function isNetworkError(e: object): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
