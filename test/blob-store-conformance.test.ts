/**
 * One BlobStore contract, three stores: MemoryBlobStore, FileBlobStore (a temporary
 * directory) and S3BlobStore against a real S3-compatible server (s3rver in-process on
 * 127.0.0.1). Whole-buffer and streamed writes and reads, content addressing,
 * idempotence, verified reads (corrupted, truncated and swapped objects), typed errors,
 * and streamed writes that fail leaving nothing behind.
 */
import { copyFile, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { FileBlobStore } from '../src/node/index.js';
import { type BlobStore, blobLocator, MemoryBlobStore, ProtocolError } from '../src/protocol/index.js';
import { S3BlobStore } from '../src/s3/index.js';
import { runs } from './helpers.js';
import { BUCKET, type S3TestServer, startS3 } from './s3-server.js';
import { drain, failingStream, pseudoRandom, sameBytes, streamOf } from './stream-helpers.js';

const MAX = 1 << 16;
const PART = 5 * 1024 * 1024;

interface Harness {
  store: BlobStore;
  /** Replace the stored bytes of `locator` behind the store's back. */
  corrupt(locator: string, bytes: Uint8Array): Promise<void>;
  /** Cut the stored object of `locator` to `n` bytes. */
  truncate(locator: string, n: number): Promise<void>;
  /** Store under `locator` the object stored under `other` (a swap by the provider). */
  swap(locator: string, other: string): Promise<void>;
  /** Names of leftovers of unfinished writes (temporary files or objects). */
  leftovers(): Promise<string[]>;
  /** Size of a streamed blob large enough to take the store's multi-part path. */
  large: number;
}

let dir: string;
let s3: S3TestServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpds-conformance-'));
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

const hex = (locator: string) => locator.slice(-64);

const HARNESSES: [string, () => Promise<Harness>][] = [
  [
    'MemoryBlobStore',
    async () => {
      const store = new MemoryBlobStore({ maxBlobSize: 16 * MAX });
      return {
        store,
        corrupt: async (l, b) => store.tamper(l, () => b.slice()),
        truncate: async (l, n) => store.tamper(l, (b) => b.slice(0, n)),
        swap: async (l, o) => {
          const other = await store.get(o);
          store.tamper(l, () => other);
        },
        leftovers: async () => [],
        large: 3 * MAX,
      };
    },
  ],
  [
    'FileBlobStore',
    async () => {
      const d = join(dir, `file-${hex(blobLocator(pseudoRandom(8, Date.now() & 0xffff)))}`);
      const store = new FileBlobStore(d, { maxBlobSize: MAX });
      const path = (l: string) => join(d, `${hex(l)}.blob`);
      return {
        store,
        corrupt: (l, b) => writeFile(path(l), b),
        truncate: (l, n) => truncate(path(l), n),
        swap: (l, o) => copyFile(path(o), path(l)),
        leftovers: async () => (await readdir(d).catch(() => [])).filter((n) => n.startsWith('.tmp-')),
        large: 3 * MAX,
      };
    },
  ],
  [
    'S3BlobStore (s3rver)',
    async () => {
      const prefix = `c-${hex(blobLocator(pseudoRandom(8, Date.now() & 0xffff))).slice(0, 8)}/`;
      const store = new S3BlobStore({
        client: s3.client(),
        bucket: BUCKET,
        prefix,
        conditionalWrites: false,
        maxBlobSize: MAX,
        partSize: PART,
        retries: 1,
        retryBaseDelayMs: 5,
      });
      const path = (l: string) => s3.objectPath(store.keyOf(l));
      return {
        store,
        corrupt: (l, b) => writeFile(path(l), b),
        truncate: (l, n) => truncate(path(l), n),
        swap: (l, o) => copyFile(path(o), path(l)),
        leftovers: async () => {
          const names = await readdir(join(s3.directory, BUCKET), { recursive: true }).catch(() => []);
          return names.filter((n) => n.startsWith(`${prefix}tmp/`) && n.endsWith('_object'));
        },
        large: 2 * PART + 12345,
      };
    },
  ],
];

function expectProtocolError(e: unknown, reason: string): void {
  expect(e).toBeInstanceOf(ProtocolError);
  expect((e as ProtocolError).reason).toBe(reason);
}

async function rejectsWith(p: Promise<unknown>, reason: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expectProtocolError(e, reason);
    return;
  }
  expect.unreachable(`expected ${reason}`);
}

describe.each(HARNESSES)('BlobStore conformance: %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await make();
  });

  it('put returns the content address; get returns the bytes; put is idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (b) => {
        const loc = await h.store.put(b);
        expect(loc).toBe(blobLocator(b));
        expect(await h.store.put(b)).toBe(loc);
        expect(await h.store.has(loc)).toBe(true);
        expect(await h.store.get(loc)).toEqual(b);
      }),
      { numRuns: runs(15) },
    );
  });

  it('unknown blobs: BLOB_NOT_FOUND from get and getStream, has is false', async () => {
    const loc = blobLocator(pseudoRandom(10, 99));
    expect(await h.store.has(loc)).toBe(false);
    await rejectsWith(h.store.get(loc), 'BLOB_NOT_FOUND');
    await rejectsWith((h.store.getStream as NonNullable<BlobStore['getStream']>).call(h.store, loc), 'BLOB_NOT_FOUND');
  });

  it('malformed locators and oversized puts: InvalidArgumentError', async () => {
    for (const bad of ['', 'bpds-blob:sha256:00', blobLocator(new Uint8Array(1)).toUpperCase()]) {
      await expect(h.store.get(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(h.store.has(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(h.store.getStream?.(bad)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(h.store.put(new Uint8Array(16 * MAX + 1))).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(h.store.put('x' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('streams: putStream gives the same address as put, getStream the same bytes', async () => {
    for (const n of [0, 1, 1000, h.large]) {
      const b = pseudoRandom(n, n + 3);
      const loc = await h.store.putStream?.(streamOf(b, [777, 65536]));
      expect(loc).toBe(blobLocator(b));
      const r = await drain(await (h.store.getStream?.(loc as string) as Promise<ReadableStream<Uint8Array>>));
      expect(r.error).toBeUndefined();
      expect(r.bytes.length).toBe(n);
      expect(sameBytes(r.bytes, b)).toBe(true);
    }
  });

  it('a streamed blob over maxBlobSize is served by getStream, refused by get (BLOB_TOO_LARGE)', async () => {
    if (h.store instanceof MemoryBlobStore) return; // a memory store holds only what fits maxBlobSize
    const b = pseudoRandom(2 * MAX, 21);
    const loc = (await h.store.putStream?.(streamOf(b))) as string;
    await rejectsWith(h.store.get(loc), 'BLOB_TOO_LARGE');
    expect(
      sameBytes((await drain(await (h.store.getStream?.(loc) as Promise<ReadableStream<Uint8Array>>))).bytes, b),
    ).toBe(true);
  });

  it('a failing or invalid source stores nothing and leaves no temporary data', async () => {
    const b = pseudoRandom(h.large, 5);
    const boom = new Error('source failed');
    await expect(h.store.putStream?.(failingStream(b, h.large - 100, boom))).rejects.toBe(boom);
    expect(await h.store.has(blobLocator(b))).toBe(false);
    expect(await h.store.has(blobLocator(b.subarray(0, h.large - 100)))).toBe(false);
    const text = new ReadableStream({
      start(c) {
        c.enqueue('not bytes');
        c.close();
      },
    });
    await expect(h.store.putStream?.(text as ReadableStream<Uint8Array>)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await h.leftovers()).toEqual([]);
  });

  it('a corrupted, truncated or swapped object is BLOB_CORRUPT, never returned', async () => {
    const a = pseudoRandom(3000, 11);
    const other = pseudoRandom(3000, 12);
    const la = await h.store.put(a);
    const lo = await h.store.put(other);
    const expectCorrupt = async () => {
      await rejectsWith(h.store.get(la), 'BLOB_CORRUPT');
      // a store may refuse at the call (it verified first) or error the stream at its end
      let error: unknown;
      try {
        const r = await drain(await (h.store.getStream?.(la) as Promise<ReadableStream<Uint8Array>>));
        error = r.error;
      } catch (e) {
        error = e;
      }
      expectProtocolError(error, 'BLOB_CORRUPT');
    };
    const flipped = a.slice();
    flipped[1234] = (flipped[1234] as number) ^ 4;
    await h.corrupt(la, flipped);
    await expectCorrupt();
    await h.corrupt(la, a);
    expect(await h.store.get(la)).toEqual(a);
    await h.truncate(la, 2999);
    await expectCorrupt();
    await h.swap(la, lo);
    await expectCorrupt();
    expect(await h.store.get(lo)).toEqual(other); // nothing lost
  });
});
