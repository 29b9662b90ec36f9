/**
 * A {@link BlobStore} on the local filesystem, for servers and the demo.
 *
 * Layout: one file per blob, `<dir>/<64 hex>.blob`, named by the blob's tagged
 * SHA-256. Writes are atomic: the bytes go to a fresh temporary file
 * (`.tmp-<random>`) that is fsynced, then renamed over the final name (rename is
 * atomic on POSIX filesystems), then the directory is fsynced. A crash mid-write
 * leaves at most a temporary file that `get` never serves ({@link FileBlobStore.sweep}
 * removes them). Every `get` re-hashes the file, so a blob corrupted on disk is
 * refused, never served.
 *
 * `putStream` and `getStream` do the same in bounded memory: a streamed write goes to the
 * temporary file as it arrives and is renamed to its content address at the end; a
 * streamed read errors with `BLOB_CORRUPT` at its end when the file does not match.
 *
 * `node:fs/promises` is imported lazily inside the methods, so importing
 * `bpds/protocol` in a browser never touches Node built-ins.
 *
 * @module protocol/file-blob-store
 */
import { InvalidArgumentError } from '../errors.js';
import { assertString } from '../internal/assert.js';
import { assertReadableStream } from '../internal/byte-queue.js';
import { toHex } from '../internal/bytes.js';
import { refuseLiveJson } from '../internal/json-form.js';
import { randomBytes } from '../internal/random.js';
import {
  type BlobStore,
  type BlobStoreOptions,
  blobLocator,
  blobSizeOption,
  checkBlob,
  checkBlobSize,
  parseBlobLocator,
  streamSizeOption,
} from './blob-store.js';
import { BlobHasher, corruptBlob, verifiedBlobStream } from './blob-stream.js';
import { ProtocolError } from './errors.js';

type Fs = typeof import('node:fs/promises');

let fsPromise: Promise<Fs> | undefined;
function fs(): Promise<Fs> {
  fsPromise ??= import('node:fs/promises');
  return fsPromise;
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

/**
 * A content-addressed blob store in a local directory, with atomic writes
 * (temporary file, fsync, rename) and verification of every read.
 *
 * @example
 * ```ts
 * import { FileBlobStore } from 'bpds/node';
 * const store = new FileBlobStore('/var/lib/bpds/blobs');
 * const locator = await store.put(new Uint8Array([1, 2, 3]));
 * const bytes = await store.get(locator);
 * ```
 */
export class FileBlobStore implements BlobStore {
  /** The directory holding the blobs. */
  readonly directory: string;
  readonly #max: number;
  readonly #maxStream: number;

  /**
   * @param directory - the folder of the store; created (recursively) on first `put`.
   * @throws {InvalidArgumentError} when `directory` is not a non-empty string or
   *   `maxBlobSize` is not a positive integer.
   */
  constructor(directory: string, options: BlobStoreOptions = {}) {
    assertString(directory, 'directory', 4096);
    if (directory.length === 0) throw new InvalidArgumentError('"directory" expected a non-empty path');
    this.directory = directory.replace(/[\\/]+$/, '') || '/';
    this.#max = blobSizeOption(options);
    this.#maxStream = streamSizeOption(options);
  }

  #path(locator: string): string {
    parseBlobLocator(locator);
    return `${this.directory}/${locator.slice(locator.lastIndexOf(':') + 1)}.blob`;
  }

  /**
   * {@inheritDoc BlobStore.put}
   * @throws {ProtocolError} `step: 'blob-store'`, reason `'IO_ERROR'`, when the file cannot be written.
   */
  async put(bytes: Uint8Array): Promise<string> {
    checkBlobSize(bytes, this.#max);
    const locator = blobLocator(bytes);
    const target = this.#path(locator);
    const f = await fs();
    try {
      // Idempotent: keep an existing blob if it is intact; rewrite a corrupt one.
      try {
        checkBlob(locator, new Uint8Array(await f.readFile(target)));
        return locator;
      } catch (e) {
        if (!isNotFound(e) && !(e instanceof ProtocolError)) throw e;
      }
      await f.mkdir(this.directory, { recursive: true });
      const tmp = this.#tmpPath();
      const handle = await f.open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#publish(f, tmp, target);
      return locator;
    } catch (e) {
      throw new ProtocolError('blob-store', 'IO_ERROR', `cannot write blob ${locator}`, { cause: e });
    }
  }

  #tmpPath(): string {
    return `${this.directory}/.tmp-${toHex(randomBytes(12))}`;
  }

  /** Rename a complete, fsynced temporary file to its final name and make the rename durable. */
  async #publish(f: Fs, tmp: string, target: string): Promise<void> {
    try {
      await f.rename(tmp, target);
    } catch (e) {
      await f.rm(tmp, { force: true });
      throw e;
    }
    await this.#syncDirectory(f);
  }

  /**
   * See {@link BlobStore.putStream}.
   * The bytes go to a temporary file as they arrive (hashed on the way), which is fsynced
   * and renamed to its content address at the end; on any failure it is removed.
   * @throws {ProtocolError} `step: 'blob-store'`, reason `'IO_ERROR'`, when the file cannot be written.
   */
  async putStream(source: ReadableStream<Uint8Array>): Promise<string> {
    assertReadableStream(source, 'source');
    const f = await fs();
    const hasher = new BlobHasher(this.#maxStream);
    const reader = source.getReader();
    let tmp: string | undefined;
    let handle: Awaited<ReturnType<Fs['open']>> | undefined;
    try {
      try {
        await f.mkdir(this.directory, { recursive: true });
        tmp = this.#tmpPath();
        handle = await f.open(tmp, 'wx', 0o600);
      } catch (e) {
        throw new ProtocolError('blob-store', 'IO_ERROR', 'cannot create a temporary blob file', { cause: e });
      }
      for (;;) {
        const { done, value } = await reader.read(); // source errors propagate unchanged
        if (done) break;
        hasher.update(value); // InvalidArgumentError for a non-Uint8Array or an oversized stream
        try {
          await handle.write(value);
        } catch (e) {
          throw new ProtocolError('blob-store', 'IO_ERROR', 'cannot write a blob', { cause: e });
        }
      }
      const locator = hasher.locator();
      try {
        await handle.sync();
        await handle.close();
        handle = undefined;
        const target = this.#path(locator);
        await this.#publish(f, tmp, target);
        tmp = undefined;
      } catch (e) {
        throw new ProtocolError('blob-store', 'IO_ERROR', `cannot write blob ${locator}`, { cause: e });
      }
      return locator;
    } catch (e) {
      await reader.cancel(e).catch(() => undefined);
      throw e;
    } finally {
      await handle?.close().catch(() => undefined);
      if (tmp !== undefined) await f.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /**
   * See {@link BlobStore.getStream}.
   * Reads the file in 256 KiB chunks; the stream errors with `BLOB_CORRUPT` at the end
   * when the file no longer hashes to its address.
   * @throws {ProtocolError} `step: 'blob-store'`, reason `'IO_ERROR'`, on other read failures.
   */
  async getStream(locator: string): Promise<ReadableStream<Uint8Array>> {
    const path = this.#path(locator);
    const f = await fs();
    let handle: Awaited<ReturnType<Fs['open']>>;
    try {
      handle = await f.open(path, 'r');
    } catch (e) {
      if (isNotFound(e)) throw new ProtocolError('blob-store', 'BLOB_NOT_FOUND', `no blob stored under ${locator}`);
      throw new ProtocolError('blob-store', 'IO_ERROR', `cannot read blob ${locator}`, { cause: e });
    }
    const size = (await handle.stat()).size;
    if (size > this.#maxStream) {
      await handle.close();
      throw corruptBlob(locator, 'exceeds the size limit');
    }
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await handle.close().catch(() => undefined);
      }
    };
    const raw = new ReadableStream<Uint8Array>({
      async pull(c) {
        try {
          const buf = new Uint8Array(256 * 1024);
          const { bytesRead } = await handle.read(buf, 0, buf.length, null);
          if (bytesRead === 0) {
            await close();
            c.close();
          } else {
            c.enqueue(buf.subarray(0, bytesRead));
          }
        } catch (e) {
          await close();
          c.error(new ProtocolError('blob-store', 'IO_ERROR', `cannot read blob ${locator}`, { cause: e }));
        }
      },
      cancel: close,
    });
    return verifiedBlobStream(locator, raw, this.#maxStream);
  }

  async #syncDirectory(f: Fs): Promise<void> {
    // Make the rename durable. Not supported on every platform (e.g. Windows): best effort.
    let dir: Awaited<ReturnType<Fs['open']>> | undefined;
    try {
      dir = await f.open(this.directory, 'r');
      await dir.sync();
    } catch {
      // ignored: the data itself was fsynced before the rename
    } finally {
      await dir?.close();
    }
  }

  /**
   * {@inheritDoc BlobStore.get}
   * @throws {ProtocolError} `step: 'blob-store'`, reason `'BLOB_TOO_LARGE'` over `maxBlobSize` (use `getStream`), `'IO_ERROR'` on other read failures.
   */
  async get(locator: string): Promise<Uint8Array> {
    const path = this.#path(locator);
    const f = await fs();
    let bytes: Uint8Array;
    try {
      const st = await f.stat(path);
      if (st.size > this.#max) {
        throw new ProtocolError(
          'blob-store',
          'BLOB_TOO_LARGE',
          `the blob stored under ${locator} exceeds maxBlobSize: use getStream`,
        );
      }
      bytes = new Uint8Array(await f.readFile(path));
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      if (isNotFound(e)) throw new ProtocolError('blob-store', 'BLOB_NOT_FOUND', `no blob stored under ${locator}`);
      throw new ProtocolError('blob-store', 'IO_ERROR', `cannot read blob ${locator}`, { cause: e });
    }
    checkBlob(locator, bytes);
    return bytes;
  }

  /** {@inheritDoc BlobStore.has} */
  async has(locator: string): Promise<boolean> {
    const path = this.#path(locator);
    const f = await fs();
    try {
      await f.access(path);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Delete temporary files left by interrupted writes (never a completed blob).
   * Call it at start-up, when no other process writes to the directory. Returns
   * how many files were removed.
   *
   * @throws {ProtocolError} `step: 'blob-store'`, reason `'IO_ERROR'`, when the directory cannot be read.
   * @example
   * ```ts
   * import { FileBlobStore } from 'bpds/node';
   * const removed = await new FileBlobStore('/var/lib/bpds/blobs').sweep();
   * ```
   */
  async sweep(): Promise<number> {
    const f = await fs();
    let names: string[];
    try {
      names = await f.readdir(this.directory);
    } catch (e) {
      if (isNotFound(e)) return 0;
      throw new ProtocolError('blob-store', 'IO_ERROR', 'cannot list the blob directory', { cause: e });
    }
    let n = 0;
    for (const name of names) {
      if (/^\.tmp-[0-9a-f]{24}$/.test(name)) {
        await f.rm(`${this.directory}/${name}`, { force: true });
        n++;
      }
    }
    return n;
  }

  /**
   * No JSON form: a FileBlobStore is a live object, so `JSON.stringify` throws
   * rather than write `{}` or a few public fields.
   *
   * @throws InvalidArgumentError always
   */
  toJSON(): never {
    return refuseLiveJson('a FileBlobStore', 'keep its directory name');
  }
}
