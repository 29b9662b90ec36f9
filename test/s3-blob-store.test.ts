/**
 * S3BlobStore fault cases against a real S3-compatible server (s3rver on 127.0.0.1):
 * the server stopping mid-upload and mid-download, another object's bytes served,
 * wrong credentials, a missing bucket, no server at all; write-once behaviour
 * (HEAD-check fallback, If-None-Match header) and retries, observed on the wire.
 */
import { CopyObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { blobLocator, ProtocolError } from '../src/protocol/index.js';
import { S3BlobStore } from '../src/s3/index.js';
import { BUCKET, type S3TestServer, startS3 } from './s3-server.js';
import { drain, pseudoRandom, sameBytes, streamOf } from './stream-helpers.js';

const PART = 5 * 1024 * 1024;
let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

/** Record every command name and the If-None-Match header the client sends. */
function spy(client: S3Client): { commands: string[]; ifNoneMatch: (string | undefined)[] } {
  const seen = { commands: [] as string[], ifNoneMatch: [] as (string | undefined)[] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      seen.commands.push(String(context.commandName));
      const req = args.request as { headers?: Record<string, string> };
      seen.ifNoneMatch.push(req.headers?.['if-none-match']);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'bpdsSpy' },
  );
  return seen;
}

function store(client: S3Client, extra: Partial<ConstructorParameters<typeof S3BlobStore>[0]> = {}): S3BlobStore {
  return new S3BlobStore({
    client,
    bucket: BUCKET,
    conditionalWrites: false,
    partSize: PART,
    retries: 2,
    retryBaseDelayMs: 5,
    ...extra,
  });
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return (e as ProtocolError).reason;
  }
  return 'resolved';
}

describe('S3BlobStore faults (s3rver)', () => {
  it('the server stops mid-upload: UNAVAILABLE, nothing under the final key, nothing lost', async () => {
    const st = store(s3.client(), { prefix: 'outage/' });
    const kept = pseudoRandom(1000, 1);
    const keptLoc = await st.put(kept);
    const big = pseudoRandom(3 * PART, 2);
    let sent = 0;
    const source = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent >= big.length) {
          c.close();
          return;
        }
        if (sent >= PART + 1024 * 1024) await s3.pause(); // after the first part went out
        c.enqueue(big.slice(sent, sent + 256 * 1024));
        sent += 256 * 1024;
      },
    });
    expect(await reason(st.putStream(source))).toBe('UNAVAILABLE');
    await s3.resume();
    expect(await st.has(blobLocator(big))).toBe(false);
    expect(await st.get(keptLoc)).toEqual(kept);
    const listed = await s3.client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'outage/' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([st.keyOf(keptLoc)]);
    // the store works again once the service is back
    const again = await st.putStream(streamOf(big, [1 << 20]));
    expect(again).toBe(blobLocator(big));
  });

  it('the server stops mid-download: the stream errors with a typed error, never closes', async () => {
    const st = store(s3.client(), { prefix: 'dl/' });
    const big = pseudoRandom(24 * 1024 * 1024, 3);
    const loc = await st.putStream(streamOf(big, [1 << 20]));
    const stream = await st.getStream(loc);
    const reader = stream.getReader();
    let got = 0;
    let error: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        got += value.length;
        if (got > 1024 * 1024 && got - value.length <= 1024 * 1024) await s3.pause();
      }
    } catch (e) {
      error = e;
    }
    await s3.resume();
    expect(error).toBeInstanceOf(ProtocolError);
    expect(['UNAVAILABLE', 'BLOB_CORRUPT']).toContain((error as ProtocolError).reason);
    expect(got).toBeLessThan(big.length);
    expect(sameBytes(await collectStore(st, loc), big)).toBe(true);
  });

  it("another object's bytes under a key (server-side copy) is BLOB_CORRUPT", async () => {
    const client = s3.client();
    const st = store(client, { prefix: 'swap/' });
    const a = await st.put(pseudoRandom(5000, 4));
    const b = await st.put(pseudoRandom(5000, 5));
    await client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: st.keyOf(a), CopySource: `${BUCKET}/${st.keyOf(b)}` }),
    );
    expect(await reason(st.get(a))).toBe('BLOB_CORRUPT');
    const r = await drain(await st.getStream(a));
    expect((r.error as ProtocolError).reason).toBe('BLOB_CORRUPT');
  });

  it('wrong credentials: ACCESS_DENIED; a missing bucket: BUCKET_NOT_FOUND; no server: UNAVAILABLE', async () => {
    const loc = blobLocator(new Uint8Array([1]));
    const denied = store(s3.client({ accessKeyId: 'NOT-A-KEY' }));
    expect(await reason(denied.put(new Uint8Array([1])))).toBe('ACCESS_DENIED');
    expect(await reason(denied.get(loc))).toBe('ACCESS_DENIED');
    const nobucket = new S3BlobStore({ client: s3.client(), bucket: 'no-such-bucket', conditionalWrites: false });
    expect(await reason(nobucket.get(loc))).toBe('BUCKET_NOT_FOUND');
    const port = s3.port;
    await s3.pause();
    try {
      const client = s3.client();
      const seen = spy(client);
      const down = store(client, { retries: 3 });
      expect(await reason(down.get(loc))).toBe('UNAVAILABLE');
      expect(seen.commands.filter((c) => c === 'GetObjectCommand')).toHaveLength(4); // 1 + 3 retries
      expect(await reason(down.put(new Uint8Array([9])))).toBe('UNAVAILABLE');
    } finally {
      await s3.resume();
    }
    expect(s3.port).toBe(port);
  });

  it('write-once: the fallback HEAD-checks and never rewrites; conditional mode sends If-None-Match: *', async () => {
    const client = s3.client();
    const seen = spy(client);
    const fallback = store(client, { prefix: 'once/' });
    const bytes = pseudoRandom(100, 6);
    await fallback.put(bytes);
    await fallback.put(bytes);
    expect(seen.commands).toEqual(['HeadObjectCommand', 'PutObjectCommand', 'HeadObjectCommand']);
    const client2 = s3.client();
    const seen2 = spy(client2);
    const conditional = store(client2, { prefix: 'cond/', conditionalWrites: true });
    await conditional.put(bytes);
    expect(seen2.commands).toEqual(['PutObjectCommand']);
    expect(seen2.ifNoneMatch).toEqual(['*']);
    const big = pseudoRandom(PART + 10, 7);
    seen2.commands.length = 0;
    seen2.ifNoneMatch.length = 0;
    expect(await conditional.putStream(streamOf(big, [1 << 20]))).toBe(blobLocator(big));
    const copy = seen2.commands.indexOf('CopyObjectCommand');
    expect(copy).toBeGreaterThan(0);
    expect(seen2.ifNoneMatch[copy]).toBe('*');
    expect(seen2.commands.at(-1)).toBe('DeleteObjectCommand');
  });

  it('rejects bad options with InvalidArgumentError', () => {
    const client = s3.client();
    expect(() => new S3BlobStore({ client: {} as S3Client, bucket: 'b' })).toThrow(InvalidArgumentError);
    expect(() => new S3BlobStore({ client, bucket: '' })).toThrow(InvalidArgumentError);
    expect(() => new S3BlobStore({ client, bucket: 'b', partSize: 1024 })).toThrow(InvalidArgumentError);
    expect(() => new S3BlobStore({ client, bucket: 'b', retries: -1 })).toThrow(InvalidArgumentError);
  });
});

async function collectStore(st: S3BlobStore, loc: string): Promise<Uint8Array> {
  const r = await drain(await st.getStream(loc));
  if (r.error !== undefined) throw r.error;
  return r.bytes;
}
