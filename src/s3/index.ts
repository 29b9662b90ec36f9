/**
 * bpds/s3: the BPDS "cloud storage" on any S3-compatible object store. `S3BlobStore`
 * implements the `BlobStore` of `bpds/protocol` (content addressing, write-once,
 * verified reads, streaming upload and download) through the caller's
 * `@aws-sdk/client-s3` client, an optional peer dependency loaded only by this subpath.
 * See docs/storage.md for pointing it at AWS S3, MinIO or Ceph RGW.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { S3BlobStore } from 'bpds/s3';
 * const client = new S3Client({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true });
 * const store = new S3BlobStore({ client, bucket: 'emr' });
 * ```
 *
 * @module s3
 */
export { MAX_S3_STREAM_SIZE, S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';
