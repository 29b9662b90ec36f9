/**
 * Blob stores: content addresses, atomic filesystem writes, corruption detection,
 * and how to wrap any storage so it stays verified.
 *
 * Run: npx tsx examples/storage.ts
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore } from 'bpds/node';
import { type BlobStore, blobLocator, checkBlob, MemoryBlobStore } from 'bpds/protocol';
import { check, finish, refused, say, step } from './lib/narrate.js';

const dir = await mkdtemp(join(tmpdir(), 'bpds-storage-'));
try {
  step('Content addresses');
  const bytes = new TextEncoder().encode('an encrypted EMR would be here');
  const locator = blobLocator(bytes);
  say(locator);

  step('FileBlobStore: temp file, fsync, rename; every read re-hashed');
  const files = new FileBlobStore(join(dir, 'blobs'));
  check((await files.put(bytes)) === locator, 'put returns the content address');
  say(`on disk: ${(await readdir(files.directory)).join(', ')}`);
  await writeFile(join(files.directory, `${locator.slice(-64)}.blob`), bytes.subarray(0, 10));
  await refused(() => files.get(locator), { step: 'blob-integrity', reason: 'BLOB_CORRUPT' }, 'a torn or altered file');
  await files.put(bytes);
  check((await files.get(locator)).length === bytes.length, 'put repairs it');
  await writeFile(join(files.directory, '.tmp-00112233445566778899aabb'), new Uint8Array(3));
  check((await files.sweep()) === 1, 'sweep removes a temp file left by a crash');

  step('Any storage, verified: wrap it with checkBlob');
  const backend = new Map<string, Uint8Array>();
  const custom: BlobStore = {
    async put(b) {
      const l = blobLocator(b);
      backend.set(l, b.slice());
      return l;
    },
    async get(l) {
      const b = backend.get(l);
      if (b === undefined) throw new Error('not found');
      checkBlob(l, b); // never trust the provider
      return b;
    },
    async has(l) {
      return backend.has(l);
    },
  };
  const l2 = await custom.put(bytes);
  backend.get(l2)?.fill(0, 0, 1);
  await refused(() => custom.get(l2), { step: 'blob-integrity' }, 'a provider that altered the bytes');

  step('MemoryBlobStore for tests and browsers');
  const mem = new MemoryBlobStore();
  check((await mem.get(await mem.put(bytes))).length === bytes.length, 'round trip');
} finally {
  await rm(dir, { recursive: true, force: true });
}
finish('storage example');
