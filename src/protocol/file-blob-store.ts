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
 * `node:fs/promises` is imported lazily inside the methods, so importing
 * `bpds/protocol` in a browser never touches Node built-ins.
 *
 * @module protocol/file-blob-store
 */
import { InvalidArgumentError } from '../errors.js';
import { assertString } from '../internal/assert.js';
import { toHex } from '../internal/bytes.js';
import { randomBytes } from '../internal/random.js';
import {
  type BlobStore,
  type BlobStoreOptions,
  blobLocator,
  blobSizeOption,
  checkBlob,
  checkBlobSize,
  parseBlobLocator,
} from './blob-store.js';
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
 * import { FileBlobStore } from 'bpds/protocol';
 * const store = new FileBlobStore('/var/lib/bpds/blobs');
 * const locator = await store.put(new Uint8Array([1, 2, 3]));
 * const bytes = await store.get(locator);
 * ```
 */
export class FileBlobStore implements BlobStore {
  /** The directory holding the blobs. */
  readonly directory: string;
  readonly #max: number;

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
      const tmp = `${this.directory}/.tmp-${toHex(randomBytes(12))}`;
      const handle = await f.open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await f.rename(tmp, target);
      } catch (e) {
        await f.rm(tmp, { force: true });
        throw e;
      }
      await this.#syncDirectory(f);
      return locator;
    } catch (e) {
      throw new ProtocolError('blob-store', 'IO_ERROR', `cannot write blob ${locator}`, { cause: e });
    }
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
   * @throws {ProtocolError} `step: 'blob-store'`, reason `'IO_ERROR'`, on other read failures.
   */
  async get(locator: string): Promise<Uint8Array> {
    const path = this.#path(locator);
    const f = await fs();
    let bytes: Uint8Array;
    try {
      const st = await f.stat(path);
      if (st.size > this.#max) {
        throw new ProtocolError(
          'blob-integrity',
          'BLOB_CORRUPT',
          `the blob stored under ${locator} exceeds the size limit`,
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
   * import { FileBlobStore } from 'bpds/protocol';
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
}
