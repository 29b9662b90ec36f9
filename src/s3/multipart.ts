/**
 * A streamed multipart upload to one key: the source is cut into `partSize` parts,
 * each part is uploaded with retries while the next one fills (at most `inFlight`
 * parts in memory besides the one filling), and the upload is completed only after
 * every part succeeded, or aborted on any failure, so an object appears under the key
 * complete or not at all. Internal.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { BlobHasher } from '../protocol/index.js';
import { type RetryPolicy, withRetry } from './errors.js';

/** Where and how to upload. */
export interface UploadTarget {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly partSize: number;
  readonly inFlight: number;
  readonly retry: RetryPolicy;
}

/** Fill `buf` from the reader (keeping the leftover of the last chunk); returns the bytes filled. */
async function fillPart(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  buf: Uint8Array,
  carry: { rest: Uint8Array | null; done: boolean },
  hasher: BlobHasher,
): Promise<number> {
  let n = 0;
  while (n < buf.length) {
    let chunk = carry.rest;
    carry.rest = null;
    if (chunk === null) {
      if (carry.done) break;
      const r = await reader.read(); // source errors propagate unchanged
      if (r.done) {
        carry.done = true;
        break;
      }
      hasher.update(r.value); // InvalidArgumentError for a non-Uint8Array or too many bytes
      chunk = r.value;
    }
    const k = Math.min(chunk.length, buf.length - n);
    buf.set(chunk.subarray(0, k), n);
    n += k;
    if (k < chunk.length) carry.rest = chunk.subarray(k);
  }
  return n;
}

/**
 * Read `source` to the end. When it fits in one part, return its bytes and upload
 * nothing (the caller makes one atomic PUT). Otherwise upload it as a multipart
 * upload to `target.key` and return null once the upload is complete.
 */
export async function uploadStream(
  target: UploadTarget,
  source: ReadableStream<Uint8Array>,
  hasher: BlobHasher,
): Promise<Uint8Array | null> {
  const reader = source.getReader();
  const carry: { rest: Uint8Array | null; done: boolean } = { rest: null, done: false };
  const { client, bucket, key, retry } = target;
  let uploadId: string | undefined;
  const pending: Promise<void>[] = [];
  const parts: { ETag: string; PartNumber: number }[] = [];
  try {
    let buf = new Uint8Array(target.partSize);
    let n = await fillPart(reader, buf, carry, hasher);
    if (carry.done && carry.rest === null) return buf.subarray(0, n);
    const created = await withRetry(retry, () =>
      client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key })),
    );
    uploadId = created.UploadId;
    if (uploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId');
    const id = uploadId;
    for (let partNumber = 1; n > 0; partNumber++) {
      const body = buf.subarray(0, n);
      const task = withRetry(retry, () =>
        client.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: id, PartNumber: partNumber, Body: body }),
        ),
      ).then((r) => {
        if (r.ETag === undefined) throw new Error('UploadPart returned no ETag');
        parts.push({ ETag: r.ETag, PartNumber: partNumber });
      });
      task.catch(() => undefined); // awaited below; never an unhandled rejection
      pending.push(task);
      if (pending.length >= target.inFlight) await pending.shift();
      buf = new Uint8Array(target.partSize);
      n = await fillPart(reader, buf, carry, hasher);
    }
    await Promise.all(pending);
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await withRetry(retry, () =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: id,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    uploadId = undefined;
    return null;
  } catch (e) {
    await Promise.allSettled(pending);
    await reader.cancel(e).catch(() => undefined);
    if (uploadId !== undefined) {
      const id = uploadId;
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id }))
        .catch(() => undefined); // best effort: a lifecycle rule cleans up what a dead service keeps
    }
    throw e;
  }
}
