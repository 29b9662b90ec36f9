/**
 * One storage benchmark case in its own process (bench/suites/storage.ts spawns it), so
 * resident memory growth is that case's alone: `tsx bench/lib/storage-case.ts '<json>'`.
 * Prints one JSON line: wall ms of the round trip (encrypt, store, fetch, decrypt), bytes,
 * baseline RSS after set-up and warm-up, and the peak RSS during the case (sampled every
 * 10 ms, and the kernel's max RSS).
 *
 * Modes: `raw-whole` (one WebCrypto AES-256-GCM call each way), `raw-segments` (64 KiB
 * WebCrypto AES-256-GCM calls, 4 in flight, each way), `whole` (CP-ABE `encrypt`, store
 * `put`/`get`, `decrypt`) and `stream` (`encryptStream` → `putStream`, `getStream` →
 * `decryptStream`); store `none` pipes encryption straight into decryption.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { decrypt, decryptStream, encrypt, encryptStream, keygen, setup } from '../../src/cpabe/index.js';
import { FileBlobStore } from '../../src/node/index.js';
import { init } from '../../src/pairing/index.js';
import { type BlobStore, MemoryBlobStore } from '../../src/protocol/index.js';
import { S3BlobStore } from '../../src/s3/index.js';

export interface CaseArgs {
  mode: 'raw-whole' | 'raw-segments' | 'whole' | 'stream';
  store: 'none' | 'memory' | 'file' | 's3';
  size: number;
  s3Endpoint?: string;
}

export interface CaseResult {
  ms: number;
  bytes: number;
  baselineRss: number;
  peakRss: number;
}

const CHUNK = 1 << 20;
const SEG = 64 * 1024;
const DEPTH = 8; // as many segment operations in flight as a streaming round trip (4 encrypting + 4 decrypting)
const source = new Uint8Array(CHUNK);
for (let i = 0; i < CHUNK; i += 65536) globalThis.crypto.getRandomValues(source.subarray(i, i + 65536));

/** `size` bytes of (repeating) random data, 1 MiB per chunk. */
function generator(size: number): ReadableStream<Uint8Array> {
  let left = size;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (left <= 0) {
        c.close();
        return;
      }
      const n = Math.min(CHUNK, left);
      left -= n;
      c.enqueue(source.subarray(0, n));
    },
  });
}

function filled(size: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  for (let off = 0; off < size; off += CHUNK) b.set(source.subarray(0, Math.min(CHUNK, size - off)), off);
  return b;
}

async function consume(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  const r = s.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) return n;
    n += value.length;
  }
}

async function rawKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', new Uint8Array(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

async function rawSegments(size: number): Promise<number> {
  const key = await rawKey();
  const subtle = globalThis.crypto.subtle;
  const inflight: Promise<number>[] = [];
  let total = 0;
  for (let off = 0, i = 0; off < size; off += SEG, i++) {
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(7, i);
    const plain = source.subarray(off % CHUNK, (off % CHUNK) + Math.min(SEG, size - off));
    inflight.push(
      subtle
        .encrypt({ name: 'AES-GCM', iv }, key, plain)
        .then((ct) => subtle.decrypt({ name: 'AES-GCM', iv }, key, ct))
        .then((pt) => pt.byteLength),
    );
    if (inflight.length >= DEPTH) total += await (inflight.shift() as Promise<number>);
  }
  for (const p of inflight) total += await p;
  return total;
}

async function makeStore(a: CaseArgs, dir: string): Promise<BlobStore | null> {
  const big = { maxBlobSize: 2 ** 31 };
  if (a.store === 'memory') return new MemoryBlobStore(big);
  if (a.store === 'file') return new FileBlobStore(join(dir, 'blobs'), big);
  if (a.store === 's3') {
    const client = new S3Client({
      endpoint: a.s3Endpoint as string,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3BlobStore({ client, bucket: 'bench', conditionalWrites: false, ...big });
  }
  return null;
}

async function run(a: CaseArgs): Promise<CaseResult> {
  await init();
  const dir = await mkdtemp(join(tmpdir(), 'bpds-bench-storage-'));
  const { publicKey, masterKey } = setup();
  const sk = keygen(masterKey, ['dept:radiology', 'role:doctor']);
  const policy = 'dept:radiology and role:doctor';
  const store = await makeStore(a, dir);
  const once = async (size: number): Promise<number> => {
    switch (a.mode) {
      case 'raw-whole': {
        const key = await rawKey();
        const iv = new Uint8Array(12);
        const ct = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, filled(size));
        return (await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ct)).byteLength;
      }
      case 'raw-segments':
        return rawSegments(size);
      case 'whole': {
        const ct = await encrypt(publicKey, policy, filled(size));
        if (store === null) return (await decrypt(sk, ct)).length;
        const loc = await store.put(ct);
        return (await decrypt(sk, await store.get(loc))).length;
      }
      case 'stream': {
        const ct = await encryptStream(publicKey, policy, generator(size));
        if (store === null) return consume(await decryptStream(sk, ct));
        const loc = await (store.putStream as NonNullable<BlobStore['putStream']>).call(store, ct);
        const back = await (store.getStream as NonNullable<BlobStore['getStream']>).call(store, loc);
        return consume(await decryptStream(sk, back));
      }
    }
  };
  await once(64 * 1024); // warm-up: JIT, WebCrypto thread pool, store connections
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peak = baselineRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const t0 = performance.now();
  const bytes = await once(a.size);
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  await rm(dir, { recursive: true, force: true });
  if (bytes !== a.size) throw new Error(`round trip returned ${bytes} bytes, expected ${a.size}`);
  return { ms, bytes, baselineRss, peakRss: peak };
}

const arg = process.argv[2];
if (arg !== undefined) {
  run(JSON.parse(arg) as CaseArgs).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
