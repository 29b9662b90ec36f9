import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { FileBlobStore } from '../src/node/index.js';
import {
  type BlobStore,
  blobLocator,
  checkBlob,
  MemoryBlobStore,
  ProtocolError,
  parseBlobLocator,
} from '../src/protocol/index.js';
import { runs } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bpds-blobs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectProtocolError(e: unknown, step: string, reason: string): void {
  expect(e).toBeInstanceOf(ProtocolError);
  expect((e as ProtocolError).code).toBe('ERR_PROTOCOL');
  expect((e as ProtocolError).step).toBe(step);
  expect((e as ProtocolError).reason).toBe(reason);
}

describe('blob locators', () => {
  it('are tagged SHA-256 content addresses', () => {
    const a = blobLocator(new Uint8Array([1, 2, 3]));
    expect(a).toMatch(/^bpds-blob:sha256:[0-9a-f]{64}$/);
    expect(blobLocator(new Uint8Array([1, 2, 3]))).toBe(a);
    expect(blobLocator(new Uint8Array([1, 2, 4]))).not.toBe(a);
    expect(parseBlobLocator(a)).toHaveLength(32);
  });

  it('reject malformed locators with InvalidArgumentError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 90 }), (s) => {
        fc.pre(!/^bpds-blob:sha256:[0-9a-f]{64}$/.test(s));
        expect(() => parseBlobLocator(s)).toThrow(InvalidArgumentError);
      }),
      { numRuns: runs(200) },
    );
    const good = blobLocator(new Uint8Array([9]));
    for (const bad of [
      good.toUpperCase(),
      `${good}0`,
      good.slice(0, -1),
      ` ${good}`,
      good.replace('sha256', 'sha512'),
    ]) {
      expect(() => parseBlobLocator(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => parseBlobLocator(42 as unknown as string)).toThrow('"locator" expected string, got number');
  });

  it('checkBlob detects any change of the bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (b, i, x) => {
          const loc = blobLocator(b);
          checkBlob(loc, b);
          const c = b.slice();
          c[i % c.length] = (c[i % c.length] as number) ^ x;
          try {
            checkBlob(loc, c);
            expect.unreachable('tampered blob accepted');
          } catch (e) {
            expectProtocolError(e, 'blob-integrity', 'BLOB_CORRUPT');
          }
        },
      ),
      { numRuns: runs(100) },
    );
  });
});

const stores: [string, () => BlobStore][] = [
  ['MemoryBlobStore', () => new MemoryBlobStore({ maxBlobSize: 1 << 16 })],
  [
    'FileBlobStore',
    () => new FileBlobStore(join(dir, `s-${Math.random().toString(36).slice(2)}`), { maxBlobSize: 1 << 16 }),
  ],
];

describe.each(stores)('%s', (_name, make) => {
  it('round-trips random blobs, idempotently', async () => {
    const store = make();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (b) => {
        const loc = await store.put(b);
        expect(loc).toBe(blobLocator(b));
        expect(await store.put(b)).toBe(loc);
        expect(await store.has(loc)).toBe(true);
        expect(await store.get(loc)).toEqual(b);
      }),
      { numRuns: runs(25) },
    );
  });

  it('returns copies: mutating input or output does not alter the stored blob', async () => {
    const store = make();
    const b = new Uint8Array([5, 6, 7]);
    const loc = await store.put(b);
    b[0] = 0;
    const out = await store.get(loc);
    expect(out).toEqual(new Uint8Array([5, 6, 7]));
    out[1] = 0;
    expect(await store.get(loc)).toEqual(new Uint8Array([5, 6, 7]));
  });

  it('refuses unknown locators, bad arguments and oversized blobs with typed errors', async () => {
    const store = make();
    const missing = blobLocator(new Uint8Array([0xde, 0xad]));
    expect(await store.has(missing)).toBe(false);
    await store.get(missing).then(
      () => expect.unreachable(),
      (e) => expectProtocolError(e, 'blob-store', 'BLOB_NOT_FOUND'),
    );
    await expect(store.get('bpds-blob:sha256:../../etc/passwd')).rejects.toThrow(InvalidArgumentError);
    await expect(store.put('text' as unknown as Uint8Array)).rejects.toThrow('"bytes" expected Uint8Array, got string');
    await expect(store.put(new Uint8Array((1 << 16) + 1))).rejects.toThrow(InvalidArgumentError);
  });
});

describe('MemoryBlobStore.tamper', () => {
  it('makes get refuse the blob', async () => {
    const store = new MemoryBlobStore();
    const loc = await store.put(new Uint8Array([1, 2, 3]));
    store.tamper(loc, (b) => {
      b[2] = 4;
      return b;
    });
    await store.get(loc).then(
      () => expect.unreachable(),
      (e) => expectProtocolError(e, 'blob-integrity', 'BLOB_CORRUPT'),
    );
  });
});

describe('FileBlobStore on disk', () => {
  it('never serves a blob corrupted on disk, and put repairs it', async () => {
    const d = join(dir, 'corrupt');
    const store = new FileBlobStore(d);
    const b = new Uint8Array(1000).fill(7);
    const loc = await store.put(b);
    const file = join(d, `${loc.slice(-64)}.blob`);
    expect(new Uint8Array(await readFile(file))).toEqual(b);
    // A torn write (what a non-atomic writer could leave after a crash): truncated content.
    await writeFile(file, b.subarray(0, 500));
    await store.get(loc).then(
      () => expect.unreachable(),
      (e) => expectProtocolError(e, 'blob-integrity', 'BLOB_CORRUPT'),
    );
    expect(await store.put(b)).toBe(loc);
    expect(await store.get(loc)).toEqual(b);
  });

  it('leaves no temporary files after writes; sweep removes those left by a crash', async () => {
    const d = join(dir, 'atomic');
    const store = new FileBlobStore(d);
    const locs = await Promise.all([1, 2, 3, 4].map((i) => store.put(new Uint8Array(100).fill(i))));
    let names = await readdir(d);
    expect(names.sort()).toEqual(locs.map((l) => `${l.slice(-64)}.blob`).sort());
    // Simulate a crash between the temporary write and the rename.
    await writeFile(join(d, '.tmp-0123456789abcdef01234567'), new Uint8Array(50));
    expect(await store.sweep()).toBe(1);
    names = await readdir(d);
    expect(names).toHaveLength(4);
    for (const [i, l] of locs.entries()) expect(await store.get(l)).toEqual(new Uint8Array(100).fill(i + 1));
    expect(await new FileBlobStore(join(dir, 'never-created')).sweep()).toBe(0);
  });

  it('rejects a bad directory argument', () => {
    expect(() => new FileBlobStore('')).toThrow(InvalidArgumentError);
    expect(() => new FileBlobStore(3 as unknown as string)).toThrow('"directory" expected string, got number');
    expect(() => new FileBlobStore('/tmp', { maxBlobSize: 0 })).toThrow(InvalidArgumentError);
  });
});
