/**
 * The demo's cloud storage, chosen with `--storage file|s3`: a FileBlobStore in the
 * demo's temporary folder (default), or an S3BlobStore on an s3rver 3.7.1 S3-compatible
 * server started in-process on 127.0.0.1 (free port, data in the temporary folder).
 * `objectPath` names the file holding a blob's bytes, so the demo can play the
 * dishonest storage provider.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { FileBlobStore } from 'bpds/node';
import type { BlobStore } from 'bpds/protocol';
import S3rver from 's3rver';
import { S3BlobStore } from '../../src/s3/index.js';

export interface DemoStorage {
  readonly store: BlobStore;
  /** Where the blobs are, for the narration. */
  readonly where: string;
  /** The file holding the stored bytes of `locator`. */
  objectPath(locator: string): string;
  close(): Promise<void>;
}

/** The `--storage` option of argv (default `file`). */
export function storageOption(argv: readonly string[]): 'file' | 's3' {
  const i = argv.indexOf('--storage');
  const v = i >= 0 ? argv[i + 1] : (argv.find((a) => a.startsWith('--storage='))?.slice(10) ?? 'file');
  if (v !== 'file' && v !== 's3') throw new Error(`--storage expects file or s3, got ${v}`);
  return v;
}

export async function openStorage(kind: 'file' | 's3', dir: string): Promise<DemoStorage> {
  if (kind === 'file') {
    const store = new FileBlobStore(join(dir, 'blobs'));
    return {
      store,
      where: store.directory,
      objectPath: (l) => join(store.directory, `${l.slice(-64)}.blob`),
      close: async () => undefined,
    };
  }
  const directory = join(dir, 's3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'emr', configs: [] }],
  });
  const { port } = (await server.run()) as AddressInfo;
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // s3rver ignores If-None-Match: the store uses its HEAD-check fallback (docs/storage.md)
  const store = new S3BlobStore({ client, bucket: 'emr', prefix: 'bpds/', conditionalWrites: false });
  return {
    store,
    where: `s3://emr/bpds/ on an in-process S3 server (s3rver) at http://127.0.0.1:${port}`,
    objectPath: (l) => join(directory, 'emr', `${store.keyOf(l)}._S3rver_object`),
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}
